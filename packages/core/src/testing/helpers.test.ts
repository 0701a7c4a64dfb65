import { describe, expect, it } from 'vitest';
import { atToySize } from './helpers.js';

describe('atToySize', () => {
  it('sets every named size at any depth and leaves every other choice alone', () => {
    const recipe = {
      seed: 1,
      encoder: { name: 'lstm', hiddenSize: 256, layers: [{ hiddenSize: 128 }] },
      decoder: { name: 'attentional', hiddenSize: 256, attention: { name: 'bahdanau', size: 64 } },
    };
    expect(atToySize(recipe, { hiddenSize: 8, size: 4 })).toEqual({
      seed: 1,
      encoder: { name: 'lstm', hiddenSize: 8, layers: [{ hiddenSize: 8 }] },
      decoder: { name: 'attentional', hiddenSize: 8, attention: { name: 'bahdanau', size: 4 } },
    });
    expect(recipe.encoder.hiddenSize, 'the recipe itself is not changed').toBe(256);
  });
});
