import { disposeTree, type Memory } from '@s2s/core';
import {
  describeSearch,
  memoryRow,
  pinBackend,
  randomMemory,
  toyStepModel,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreedySearch } from './greedy.js';

describeSearch('greedy', { create: () => new GreedySearch() });

describe('GreedySearch', () => {
  const lengths = [4, 2, 3, 1];
  let memory: Memory;
  let model: ReturnType<typeof toyStepModel>;
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths, size: 4, seed: 3 });
    model = toyStepModel({ vocabSize: 6, seed: 9 });
  });
  afterAll(() => {
    disposeTree(memory);
    model.dispose();
  });

  /** Reference: one row at a time, argmax read back at every step. */
  function referenceGreedy(row: number, maxLength: number): number[] {
    return tf.tidy(() => {
      const m = memoryRow(memory, row, lengths[row]!);
      const cache = model.prepare(m);
      let state = model.initialState(cache);
      let prev = model.bos;
      const tokens: number[] = [];
      while (tokens.length < maxLength) {
        const r = model.step(tf.tensor1d([prev], 'int32'), state, cache);
        const lp = Array.from(r.logProbs.dataSync());
        prev = lp.indexOf(Math.max(...lp));
        tokens.push(prev);
        state = r.state;
        if (prev === model.eos) break;
      }
      return tokens;
    });
  }

  it('takes the most probable token at every step', async () => {
    for (const maxLength of [1, 3, 8]) {
      const results = await new GreedySearch().search(model, memory, { maxLength });
      results.forEach(([h], row) =>
        expect(h!.tokens, `row ${row}, maxLength ${maxLength}`).toEqual(
          referenceGreedy(row, maxLength),
        ),
      );
    }
  });

  it('records one alignment row per token over the real source positions', async () => {
    const [first] = await new GreedySearch().search(model, memory, { maxLength: 4 });
    const h = first![0]!;
    expect(h.alignment).toHaveLength(h.tokens.length);
    for (const row of h.alignment!) {
      expect(row).toHaveLength(4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const [noAlign] = await new GreedySearch().search(model, memory, {
      maxLength: 4,
      alignments: false,
    });
    expect(noAlign![0]!.alignment).toBeUndefined();
  });

  it('rejects a maxLength that is not a positive integer', async () => {
    await expect(new GreedySearch().search(model, memory, { maxLength: 0 })).rejects.toThrow(
      "greedy search: option 'maxLength': too small: expected number to be >0, got 0",
    );
    await expect(
      new GreedySearch().search(model, memory, { maxLength: 2, alignment: false } as never),
    ).rejects.toThrow(/unknown option 'alignment' \(did you mean 'alignments'\?\)/);
  });
});
