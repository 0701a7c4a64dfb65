import { Rng, type TaskExample } from '@s2s/core';
import { atToySize, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { greedyOutputs, inventedWord, trainTiny } from '../../test/tiny-training.js';
import { summaryPreset } from './summarization-task.js';

/**
 * The summary preset's encoder × decoder × attention (bidirectional LSTM → pointer-generator
 * with coverage attention and a projected bridge), at toy sizes, learning a generated task
 * to ≥ 95% exact match on held-out examples, in seconds.
 */
describe("the summary preset's combination learns a toy task", () => {
  beforeAll(() => pinBackend('wasm'));

  it('reverses sentences holding unseen words to ≥ 95% exact match', async () => {
    const recipe = atToySize(summaryPreset.model, {
      seed: 7,
      embeddingSize: 16,
      hiddenSize: 32,
      size: 32,
    });
    const train = reversals(600, 1);
    const seen = new Set(train.map((e) => e.input));
    const heldOut = reversals(200, 2).filter((e) => !seen.has(e.input));
    const { pipeline, model } = trainTiny(train, recipe, 200);
    // Invented words outside the vocabulary can only be written by copying them.
    const withUnseen = heldOut.filter((e) =>
      e.input.split(' ').some((w) => !pipeline.vocabulary.has(w)),
    );
    expect(withUnseen.length / heldOut.length).toBeGreaterThan(0.9);
    const outputs = await greedyOutputs(model, pipeline, heldOut);
    model.dispose();
    const exact = outputs.filter((o, i) => o === heldOut[i]!.references[0]).length;
    expect(
      exact / heldOut.length,
      `outputs: ${outputs.slice(0, 3).join(' | ')}`,
    ).toBeGreaterThanOrEqual(0.95);
  });
});

const fillers = 'the firm said on in rose by a new plan its chief'.split(' ');

/**
 * Sentences of 3–6 words, fillers around one or two invented names, each to be written
 * backwards: attention must walk the source from its end, and the pointer copy the names.
 */
function reversals(count: number, seed: number): TaskExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 3 + rng.int(4) }, () => fillers[rng.int(fillers.length)]!);
    for (let n = 1 + rng.int(2); n > 0; n--) words[rng.int(words.length)] = inventedWord(rng);
    return { input: words.join(' '), references: [[...words].reverse().join(' ')] };
  });
}
