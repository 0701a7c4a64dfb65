import { ConfigError, disposeTree, type Memory } from '@s2s/core';
import {
  describeSearch,
  expectNoLeaks,
  pinBackend,
  randomMemory,
  toyStepModel,
} from '@s2s/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExhaustiveSearch } from '../exhaustive/exhaustive.js';
import { ExactSearch } from './exact.js';

describeSearch('exact', { create: () => new ExactSearch({ nBest: 2 }) });
describeSearch('exact (length-normalised)', {
  create: () => new ExactSearch({ nBest: 2, lengthPenalty: 1 }),
  maxLength: 4,
});

describe('ExactSearch', () => {
  const lengths = [4, 2, 3, 1];
  const maxLength = 4;
  const v = 5;
  let memory: Memory;
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths, size: 4, seed: 31 });
  });
  afterAll(() => disposeTree(memory));

  // Raw log P and two normalisations; with α > 0 a bound that divides by the current length
  // instead of T' prunes the optimum on these models (both cases fail with it).
  for (const alpha of [0, 0.75, 2]) {
    it(`finds exactly what exhaustive search finds (α = ${alpha}), expanding fewer prefixes`, async () => {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const model = toyStepModel({ vocabSize: v, seed, sharpness: 1 + (seed % 3) });
        const n = 3;
        const reference = await new ExhaustiveSearch({ nBest: n, lengthPenalty: alpha }).search(
          model,
          memory,
          { maxLength },
        );
        const exact = await new ExactSearch({ nBest: n, lengthPenalty: alpha }).searchWithStats(
          model,
          memory,
          { maxLength },
        );
        model.dispose();
        exact.hypotheses.forEach((hyps, row) => {
          const want = reference[row]!;
          expect(
            hyps.map((h) => h.tokens),
            `seed ${seed} row ${row}`,
          ).toEqual(want.map((h) => h.tokens));
          hyps.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 4));
        });
        // Exhaustive steps every prefix shorter than T': Σ_{t<T'} (|Y|−1)^t per source.
        const everyPrefix = (1 - (v - 1) ** maxLength) / (1 - (v - 1));
        for (const e of exact.expanded) {
          expect(e).toBeGreaterThan(0);
          expect(e).toBeLessThanOrEqual(everyPrefix);
        }
        if (alpha === 0) expect(Math.max(...exact.expanded)).toBeLessThan(everyPrefix);
      }
    });
  }

  it('expanding several prefixes per call finds the same optimum', async () => {
    const model = toyStepModel({ vocabSize: v, seed: 8 });
    const one = await new ExactSearch({ nBest: 2, lengthPenalty: 0.75 }).searchWithStats(
      model,
      memory,
      { maxLength },
    );
    const many = await new ExactSearch({
      nBest: 2,
      lengthPenalty: 0.75,
      batchSize: 4,
    }).searchWithStats(model, memory, { maxLength });
    model.dispose();
    expect(many.hypotheses.map((h) => h.map((x) => x.tokens))).toEqual(
      one.hypotheses.map((h) => h.map((x) => x.tokens)),
    );
    expect(many.calls).toBeLessThan(one.calls);
  });

  it('gives up with a ConfigError past maxExpansions, leaving no tensor behind', async () => {
    const model = toyStepModel({ vocabSize: v, seed: 9, sharpness: 0.5 });
    const search = new ExactSearch({ maxExpansions: 3, lengthPenalty: 1 });
    await expect(search.search(model, memory, { maxLength })).rejects.toThrow(ConfigError);
    await expect(search.search(model, memory, { maxLength })).rejects.toThrow(/maxExpansions = 3/);
    await expectNoLeaks(() => search.search(model, memory, { maxLength }).catch(() => undefined));
    model.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => new ExactSearch({ maxExpansion: 9 } as never)).toThrow(
      /exact search: unknown option 'maxExpansion' \(did you mean 'maxExpansions'\?\)/,
    );
    expect(() => new ExactSearch({ batchSize: 0 })).toThrow(
      "exact search: option 'batchSize': too small: expected number to be >0, got 0",
    );
  });

  it("does not free the caller's memory", async () => {
    const model = toyStepModel({ vocabSize: v, seed: 10 });
    // Like Seq2Seq.stepModel(), the cache holds the memory itself.
    type Cache = { memory: Memory; inner: object };
    const aliasing: typeof model = {
      ...model,
      prepare: (m) => ({ memory: m, inner: model.prepare(m) }),
      initialState: (cache) => model.initialState((cache as Cache).inner),
      step: (prev, state, cache) => model.step(prev, state, (cache as Cache).inner),
    };
    await new ExactSearch().search(aliasing, memory, { maxLength: 2 });
    model.dispose();
    expect(memory.states.isDisposed).toBe(false);
    expect(memory.mask.isDisposed).toBe(false);
  });
});
