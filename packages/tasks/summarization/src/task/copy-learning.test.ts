import { Rng } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  copyExamples,
  greedyOutputs,
  inventedWord,
  tinyRecipe,
  trainTiny,
} from '../../test/tiny-training.js';

const fillers = ['the', 'firm', 'said', 'on', 'in', 'rose', 'by', 'a'];

/** Sentences of 4–6 words: fillers around one or two invented names. */
function sentences(count: number, seed: number): string[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 4 + rng.int(3) }, () => fillers[rng.int(fillers.length)]!);
    for (let n = 1 + rng.int(2); n > 0; n--) words[rng.int(words.length)] = inventedWord(rng);
    return words;
  });
}

describe('copying with the pointer-generator', () => {
  beforeAll(() => pinBackend('wasm'));

  it('emits words it never saw in training, by copying them from the source', async () => {
    const train = copyExamples(sentences(400, 1));
    const test = copyExamples(sentences(40, 2));
    const { pipeline, model } = trainTiny(train, tinyRecipe(false), 100);
    const names = test.flatMap((e) => e.input.split(' ').filter((w) => !fillers.includes(w)));
    for (const name of names) expect(pipeline.vocabulary.has(name), name).toBe(false);
    const outputs = await greedyOutputs(model, pipeline, test);
    const copied = test.flatMap((e, i) =>
      e.input
        .split(' ')
        .filter((w) => !fillers.includes(w))
        .map((w) => outputs[i]!.split(' ').includes(w)),
    );
    const rate = copied.filter(Boolean).length / copied.length;
    expect(rate, `names copied; outputs: ${outputs.slice(0, 3).join(' | ')}`).toBeGreaterThan(0.9);
    model.dispose();
  });
});
