import { ConfigError, disposeTree, type Memory } from '@s2s/core';
import {
  describeSearch,
  expectNoLeaks,
  pinBackend,
  randomMemory,
  toyStepModel,
} from '@s2s/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { best, normalised, type Ranked, scoreAll } from '../../test/brute-force.js';
import { ExhaustiveSearch } from './exhaustive.js';

describeSearch('exhaustive', { create: () => new ExhaustiveSearch({ nBest: 3 }), maxLength: 4 });

describe('ExhaustiveSearch', () => {
  const lengths = [4, 2, 3];
  const maxLength = 4;
  let memory: Memory;
  let model: ReturnType<typeof toyStepModel>;
  let all: Ranked[][];
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths, size: 4, seed: 21 });
    model = toyStepModel({ vocabSize: 5, seed: 13, sharpness: 1 });
    all = lengths.map((_, row) => scoreAll(model, memory, row, maxLength));
  });
  afterAll(() => {
    disposeTree(memory);
    model.dispose();
  });

  for (const alpha of [0, 0.75]) {
    it(`returns the n best of every output scored by teacher forcing (α = ${alpha})`, async () => {
      const n = 6;
      const search = new ExhaustiveSearch({ nBest: n, lengthPenalty: alpha, batchSize: 7 });
      const results = await search.search(model, memory, { maxLength });
      results.forEach((hyps, row) => {
        const expected = best(all[row]!, (r) => normalised(r, alpha), n);
        expect(hyps.map((h) => h.tokens)).toEqual(expected.map((r) => r.tokens));
        hyps.forEach((h, i) => {
          expect(h.score).toBeCloseTo(normalised(expected[i]!, alpha), 4);
          expect(h.logProb).toBeCloseTo(expected[i]!.logProb, 4);
          expect(h.finished).toBe(expected[i]!.finished);
        });
      });
    });
  }

  it('gives the same outputs however the prefixes are batched', async () => {
    const one = await new ExhaustiveSearch({ nBest: 4, batchSize: 1 }).search(model, memory, {
      maxLength: 3,
    });
    const many = await new ExhaustiveSearch({ nBest: 4 }).search(model, memory, { maxLength: 3 });
    expect(one.map((h) => h.map((x) => x.tokens))).toEqual(many.map((h) => h.map((x) => x.tokens)));
    await expectNoLeaks(() =>
      new ExhaustiveSearch({ batchSize: 5 }).search(model, memory, { maxLength: 3 }),
    );
  });

  it("refuses when |Y|^T' exceeds its limit, naming the count", async () => {
    const search = new ExhaustiveSearch({ limit: 125 });
    await expect(search.search(model, memory, { maxLength: 3 })).resolves.toHaveLength(3);
    const refusal = search.search(model, memory, { maxLength: 4 });
    await expect(refusal).rejects.toThrow(ConfigError);
    await expect(refusal).rejects.toThrow(/5\^4 = 625 sequences exceed its limit of 125/);
    await expectNoLeaks(() =>
      new ExhaustiveSearch().search(model, memory, { maxLength: 9 }).catch(() => undefined),
    );
  });

  it('rejects unknown and out-of-range options by name', () => {
    expect(() => new ExhaustiveSearch({ nbest: 2 } as never)).toThrow(
      /unknown option 'nbest' \(did you mean 'nBest'\?\)/,
    );
    expect(() => new ExhaustiveSearch({ limit: 0 })).toThrow(
      "exhaustive search: option 'limit': too small: expected number to be >=1, got 0",
    );
    expect(() => new ExhaustiveSearch({ lengthPenalty: -1 })).toThrow(/lengthPenalty/);
    expect(() => new ExhaustiveSearch({ batchSize: 0 })).toThrow(/batchSize/);
  });
});
