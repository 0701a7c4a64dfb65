import { describe, expect, it } from 'vitest';
import type { TaskSettings } from '../contracts/task.js';
import { mergeSettings } from './merge-settings.js';

const defaults: TaskSettings = {
  model: {
    seed: 1,
    encoder: { name: 'lstm', embeddingSize: 16, hiddenSize: 32 },
    decoder: { name: 'attentional', hiddenSize: 32, attention: { name: 'bahdanau', size: 32 } },
  },
  training: { epochs: 5, batchSize: 16 },
  search: { name: 'greedy', maxLength: 20 },
  data: { maxLength: 20, lowercase: true },
};

describe('mergeSettings', () => {
  it('overrides key by key, keeping every key the override does not name', () => {
    const merged = mergeSettings(defaults, {
      training: { epochs: 2 },
      model: {
        seed: 1,
        encoder: { name: 'lstm', hiddenSize: 64 },
      } as unknown as TaskSettings['model'],
    });
    expect(merged.training).toEqual({ epochs: 2, batchSize: 16 });
    expect(merged.model.encoder).toEqual({ name: 'lstm', embeddingSize: 16, hiddenSize: 64 });
    expect(merged.model.decoder).toEqual(defaults.model.decoder);
    expect(merged.data).toEqual(defaults.data);
  });

  it('replaces a component whose plugin name changes, since its options mean nothing to the new one', () => {
    const merged = mergeSettings(defaults, {
      model: {
        decoder: { name: 'attentional', attention: { name: 'luong', score: 'dot' } },
      } as never,
    });
    expect(merged.model.decoder).toEqual({
      name: 'attentional',
      hiddenSize: 32,
      attention: { name: 'luong', score: 'dot' },
    });
  });

  it('replaces arrays whole', () => {
    const merged = mergeSettings(
      { ...defaults, data: { files: ['a', 'b'] } },
      { data: { files: ['c'] } },
    );
    expect(merged.data.files).toEqual(['c']);
  });
});
