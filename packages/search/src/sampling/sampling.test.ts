import { disposeTree, type Memory } from '@s2s/core';
import {
  describeSearch,
  pinBackend,
  randomMemory,
  teacherForcedLogProbs,
  toyStepModel,
} from '@s2s/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOutputs } from '../../test/brute-force.js';
import { SamplingSearch } from './sampling.js';

describeSearch('sampling', {
  create: () => new SamplingSearch({ samples: 3, seed: 1 }),
  batchInvariant: false,
});
describeSearch('sampling (τ = 0.5, top-k 3, top-p 0.9)', {
  create: () => new SamplingSearch({ samples: 2, temperature: 0.5, topK: 3, topP: 0.9, seed: 2 }),
  batchInvariant: false,
});

/**
 * Pearson's χ² goodness-of-fit test at significance 1e-4: categories whose expected count is
 * under 5 are pooled, and the critical value is the Wilson–Hilferty approximation of the χ²
 * quantile. A category of probability 0 must never be drawn.
 */
function expectDrawnFrom(counts: Map<string, number>, probs: Map<string, number>, n: number) {
  for (const key of counts.keys())
    expect(probs.get(key) ?? 0, `drew '${key}', which has probability 0`).toBeGreaterThan(0);
  const cells: { observed: number; expected: number }[] = [];
  const pooled = { observed: 0, expected: 0 };
  for (const [key, p] of probs) {
    const cell = { observed: counts.get(key) ?? 0, expected: p * n };
    if (cell.expected >= 5) cells.push(cell);
    else {
      pooled.observed += cell.observed;
      pooled.expected += cell.expected;
    }
  }
  if (pooled.expected > 0) cells.push(pooled);
  const df = cells.length - 1;
  if (df < 1) return;
  const chi2 = cells.reduce((s, c) => s + (c.observed - c.expected) ** 2 / c.expected, 0);
  const z = 3.719; // upper 1e-4 quantile of N(0, 1)
  const critical = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
  expect(chi2, `χ² with ${df} degrees of freedom`).toBeLessThan(critical);
}

function tally(sequences: readonly (readonly number[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sequences) counts.set(s.join(' '), (counts.get(s.join(' ')) ?? 0) + 1);
  return counts;
}

describe('SamplingSearch', () => {
  const v = 5;
  let memory: Memory;
  let model: ReturnType<typeof toyStepModel>;
  /** log P(y_1 | x) of every token, for each source, by teacher forcing. */
  let first: number[][];
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths: [4, 2], size: 4, seed: 61 });
    model = toyStepModel({ vocabSize: v, seed: 17, sharpness: 1.5 });
    const tokens = Array.from({ length: v }, (_, y) => [y]);
    first = [0, 1].map((row) =>
      teacherForcedLogProbs(model, memory, row, tokens).map(([lp]) => lp!),
    );
  });
  afterAll(() => {
    disposeTree(memory);
    model.dispose();
  });

  /** The distribution the options describe, written out from their definitions. */
  function target(logProbs: number[], temperature: number, topK: number, topP: number) {
    const order = logProbs.map((lp, y) => ({ y, lp })).sort((a, b) => b.lp - a.lp);
    const kept = topK > 0 ? order.slice(0, topK) : order;
    const weights = kept.map((x) => Math.exp(x.lp / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    const probs = new Map<string, number>();
    let mass = 0;
    kept.forEach((x, i) => {
      if (mass >= topP - 1e-12) return;
      mass += weights[i]! / total;
      probs.set(String(x.y), weights[i]! / total);
    });
    const sum = [...probs.values()].reduce((a, b) => a + b, 0);
    for (const [key, p] of probs) probs.set(key, p / sum);
    return probs;
  }

  for (const [temperature, topK, topP] of [
    [1, 0, 1],
    [0.5, 0, 1],
    [2, 3, 1],
    [1, 0, 0.7],
    [0.8, 4, 0.9],
  ] as const) {
    it(`draws first tokens with the right frequencies (τ = ${temperature}, top-k ${topK}, top-p ${topP})`, async () => {
      const n = 3000;
      const search = new SamplingSearch({ samples: n, temperature, topK, topP, seed: 5 });
      const results = await search.search(model, memory, { maxLength: 1 });
      results.forEach((hyps, row) => {
        expect(hyps).toHaveLength(n);
        const probs = target(first[row]!, temperature, topK, topP);
        expectDrawnFrom(tally(hyps.map((h) => h.tokens)), probs, n);
      });
    });
  }

  it('draws whole outputs with the probability the model gives them', async () => {
    const n = 4000;
    const outputs = allOutputs(v, model.eos, 2);
    const results = await new SamplingSearch({ samples: n, seed: 9 }).search(model, memory, {
      maxLength: 2,
    });
    results.forEach((hyps, row) => {
      const logProbs = teacherForcedLogProbs(model, memory, row, outputs);
      const probs = new Map(
        outputs.map((o, i) => [o.join(' '), Math.exp(logProbs[i]!.reduce((a, b) => a + b, 0))]),
      );
      expectDrawnFrom(tally(hyps.map((h) => h.tokens)), probs, n);
    });
  });

  it('repeats its samples for the same seed, and not for another', async () => {
    const draw = (seed: number) =>
      new SamplingSearch({ samples: 20, seed, topP: 0.95 })
        .search(model, memory, { maxLength: 6 })
        .then((r) => r.map((hyps) => hyps.map((h) => h.tokens)));
    const [a, b, c] = [await draw(3), await draw(3), await draw(4)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rejects bad options by name', () => {
    expect(() => new SamplingSearch({ temperature: 0 })).toThrow(/temperature/);
    expect(() => new SamplingSearch({ topP: 0 })).toThrow(/topP/);
    expect(() => new SamplingSearch({ topK: 1.5 })).toThrow(/topK/);
    expect(() => new SamplingSearch({ seed: 0.5 })).toThrow(/seed/);
    expect(() => new SamplingSearch({ top_p: 0.9 } as never)).toThrow(
      /unknown option 'top_p' \(did you mean 'topP'\?\)/,
    );
    expect(() => new SamplingSearch({ seed: 0.5 })).toThrow(
      "sampling: option 'seed': invalid input: expected int, received number, got 0.5",
    );
  });
});
