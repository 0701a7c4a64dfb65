import { ConfigError, disposeTree, type Hypothesis, type Memory, type StepModel } from '@s2s/core';
import {
  describeSearch,
  memoryRow,
  pinBackend,
  randomMemory,
  teacherForcedLogProbs,
  toyStepModel,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExhaustiveSearch } from '../exhaustive/exhaustive.js';
import { GreedySearch } from '../greedy/greedy.js';
import { BeamSearch, type BeamSearchOptions } from './beam.js';

describeSearch('beam', { create: () => new BeamSearch({ beamSize: 3, nBest: 3 }) });
describeSearch('beam (constraints)', {
  create: () =>
    new BeamSearch({
      beamSize: 4,
      nBest: 2,
      minLength: 2,
      noRepeatNgramSize: 2,
      coveragePenalty: 0.2,
      maxLengthRatio: 1.5,
      minLengthRatio: 0.5,
    }),
});

const lengths = [4, 2, 3];
const v = 5;
const maxLength = 4;
/** Wide enough to keep every prefix of T' = 4 over |Y| = 5 (4³ live × 5 candidates). */
const everything = 320;
const tokens = (results: Hypothesis[][]) => results.map((hyps) => hyps.map((h) => h.tokens));

describe('BeamSearch', () => {
  let memory: Memory;
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths, size: 4, seed: 41 });
  });
  afterAll(() => disposeTree(memory));

  /** Beam and exhaustive search on one random model; `keep` filters and rescores outputs. */
  async function againstExhaustive(
    seed: number,
    beam: BeamSearchOptions,
    rescore: (h: Hypothesis, row: number) => number | undefined = (h) => h.score,
  ) {
    const model = toyStepModel({ vocabSize: v, seed, sharpness: 1 + (seed % 3) });
    const alpha = beam.lengthPenalty ?? 0.75;
    const found = await new BeamSearch({ beamSize: everything, ...beam }).search(model, memory, {
      maxLength,
    });
    // Every output, best first under the plain score, then filtered and rescored.
    const all = await new ExhaustiveSearch({ nBest: 1000, lengthPenalty: alpha }).search(
      model,
      memory,
      { maxLength },
    );
    model.dispose();
    const n = beam.nBest ?? 1;
    all.forEach((outputs, row) => {
      const scored = outputs
        .map((h) => ({ h, score: rescore(h, row) }))
        .filter((x): x is { h: Hypothesis; score: number } => x.score !== undefined)
        .sort((a, b) => b.score - a.score)
        .slice(0, n);
      const got = found[row]!;
      expect(
        got.map((h) => h.tokens),
        `seed ${seed} row ${row}`,
      ).toEqual(scored.map((x) => x.h.tokens));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(scored[i]!.score, 4));
    });
  }

  for (const lengthPenalty of [0, 0.75]) {
    it(`with k large enough finds the n best that exhaustive search finds (α = ${lengthPenalty})`, async () => {
      for (const seed of [1, 2, 3]) await againstExhaustive(seed, { nBest: 5, lengthPenalty });
    });
  }

  it('with k = 1 and α = 0 is greedy search', async () => {
    for (const seed of [4, 5, 6, 7]) {
      const model = toyStepModel({ vocabSize: v, seed, sharpness: 1 + (seed % 3) });
      for (const length of [1, 3, 6]) {
        const call = { maxLength: length };
        const greedy = await new GreedySearch().search(model, memory, call);
        const beam = await new BeamSearch({ beamSize: 1, lengthPenalty: 0 }).search(
          model,
          memory,
          call,
        );
        beam.forEach(([h], row) => {
          const g = greedy[row]![0]!;
          expect(h!.tokens, `seed ${seed} row ${row} maxLength ${length}`).toEqual(g.tokens);
          expect(h!.logProb).toBeCloseTo(g.logProb, 4);
          expect(h!.finished).toBe(g.finished);
        });
      }
      model.dispose();
    }
  });

  it('scores log P / L^α, with log P recomputed by teacher forcing and L counting <eos>', async () => {
    const model = toyStepModel({ vocabSize: v, seed: 11 });
    for (const alpha of [0.75, 1.3]) {
      const results = await new BeamSearch({
        beamSize: 4,
        nBest: 4,
        lengthPenalty: alpha,
      }).search(model, memory, { maxLength: 6 });
      results.forEach((hyps, row) => {
        const forced = teacherForcedLogProbs(
          model,
          memory,
          row,
          hyps.map((h) => h.tokens),
        );
        hyps.forEach((h, i) => {
          const logProb = forced[i]!.reduce((a, b) => a + b, 0);
          expect(h.logProb).toBeCloseTo(logProb, 4);
          expect(h.score).toBeCloseTo(logProb / h.tokens.length ** alpha, 4);
        });
      });
    }
    model.dispose();
  });

  it('returns up to n distinct hypotheses, best first', async () => {
    const model = toyStepModel({ vocabSize: v, seed: 12, sharpness: 0.7 });
    const results = await new BeamSearch({ beamSize: 6, nBest: 6 }).search(model, memory, {
      maxLength: 6,
    });
    model.dispose();
    for (const hyps of results) {
      expect(hyps.length).toBeGreaterThan(1);
      expect(hyps.length).toBeLessThanOrEqual(6);
      expect(new Set(hyps.map((h) => h.tokens.join(' '))).size).toBe(hyps.length);
      for (let i = 1; i < hyps.length; i++)
        expect(hyps[i - 1]!.score).toBeGreaterThanOrEqual(hyps[i]!.score);
    }
  });

  it('a minimum length bars <eos> until then; it still finds the best output allowed', async () => {
    for (const seed of [1, 2]) {
      await againstExhaustive(seed, { nBest: 3, minLength: 3 }, (h) =>
        h.finished && h.tokens.length < 3 ? undefined : h.score,
      );
    }
  });

  it('no-repeat n-gram bars repeated n-grams; it still finds the best output allowed', async () => {
    const repeats = (t: readonly number[], n: number) => {
      const grams = t.slice(0, t.length - n + 1).map((_, i) => t.slice(i, i + n).join(' '));
      return new Set(grams).size < grams.length;
    };
    for (const [seed, n] of [
      [1, 1],
      [2, 2],
      [3, 2],
    ] as const) {
      await againstExhaustive(seed, { nBest: 3, noRepeatNgramSize: n }, (h) =>
        repeats(h.tokens, n) ? undefined : h.score,
      );
    }
  });

  it("length ratios follow each source's real length", async () => {
    // max = min(6, ⌊1·|x|⌋) = [4, 2, 3]; min = ⌈0.5·|x|⌉ = [2, 1, 2].
    const [max, min] = [lengths, lengths.map((l) => Math.ceil(0.5 * l))];
    const model = toyStepModel({ vocabSize: v, seed: 3, sharpness: 1 });
    const beam = new BeamSearch({
      beamSize: everything,
      nBest: 3,
      maxLengthRatio: 1,
      minLengthRatio: 0.5,
    });
    const found = await beam.search(model, memory, { maxLength: 6 });
    for (let row = 0; row < lengths.length; row++) {
      const alone = memoryRow(memory, row, lengths[row]!);
      const [all] = await new ExhaustiveSearch({ nBest: 1000, lengthPenalty: 0.75 }).search(
        model,
        alone,
        { maxLength: max[row]! },
      );
      disposeTree(alone);
      const allowed = all!.filter((h) => !h.finished || h.tokens.length >= min[row]!);
      expect(found[row]!.map((h) => h.tokens)).toEqual(allowed.slice(0, 3).map((h) => h.tokens));
    }
    model.dispose();
  });

  it('coverage penalty adds β Σ_i log min(Σ_t a_ti, 1) over real source positions', async () => {
    const beta = 0.4;
    const coverage = (h: Hypothesis, row: number) => {
      let cp = 0;
      for (let i = 0; i < lengths[row]!; i++) {
        const total = h.alignment!.reduce((sum, a) => sum + a[i]!, 0);
        cp += Math.log(Math.min(total, 1));
      }
      return h.logProb / h.tokens.length ** 0.75 + beta * cp;
    };
    for (const seed of [1, 2]) {
      await againstExhaustive(seed, { nBest: 3, coveragePenalty: beta }, coverage);
    }
  });

  it('early stopping at the bound returns what searching to the maximum length returns', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const model = counting(toyStepModel({ vocabSize: v, seed, sharpness: 2 }));
      const run = async (earlyStopping: BeamSearchOptions['earlyStopping']) => {
        model.steps = 0;
        const out = await new BeamSearch({ beamSize: 3, nBest: 2, earlyStopping }).search(
          model,
          memory,
          { maxLength: 8 },
        );
        return { out, steps: model.steps };
      };
      const [bound, never, first] = [
        await run('bound'),
        await run('never'),
        await run('n-finished'),
      ];
      model.dispose();
      expect(tokens(bound.out)).toEqual(tokens(never.out));
      expect(never.steps).toBe(8);
      expect(bound.steps).toBeLessThanOrEqual(never.steps);
      expect(first.steps).toBeLessThanOrEqual(bound.steps);
    }
  });

  it('reads the host once per step; the cache is prepared once and never reordered', async () => {
    const model = counting(toyStepModel({ vocabSize: v, seed: 5 }));
    const caches = new Set<object>();
    const step = model.step;
    model.step = (prev, state, cache) => {
      caches.add(cache);
      return step(prev, state, cache);
    };
    const reads = [
      vi.spyOn(tf.Tensor.prototype, 'data'),
      vi.spyOn(tf.Tensor.prototype, 'dataSync'),
      vi.spyOn(tf.Tensor.prototype, 'array'),
      vi.spyOn(tf.Tensor.prototype, 'arraySync'),
    ];
    await new BeamSearch({ beamSize: 4, earlyStopping: 'never' }).search(model, memory, {
      maxLength: 5,
    });
    const count = reads.reduce((n, spy) => n + spy.mock.calls.length, 0);
    for (const spy of reads) spy.mockRestore();
    model.dispose();
    expect(model.steps).toBe(5);
    expect(count).toBe(5);
    expect(caches.size).toBe(1);
  });

  it('rejects bad options by name', async () => {
    expect(() => new BeamSearch({ beamSize: 2, nBest: 3 })).toThrow(
      "beam search: option 'nBest': nBest must be at most beamSize (2), got 3",
    );
    expect(() => new BeamSearch({ beamSzie: 2 } as never)).toThrow(
      /unknown option 'beamSzie' \(did you mean 'beamSize'\?\)/,
    );
    expect(() => new BeamSearch({ earlyStopping: 'soon' as never })).toThrow(
      /option 'earlyStopping': .*"bound"\|"n-finished"\|"never", got 'soon'/,
    );
    expect(() => new BeamSearch({ lengthPenalty: -0.5 })).toThrow(
      "beam search: option 'lengthPenalty': too small: expected number to be >=0, got -0.5",
    );
    // Defaults are filled in from the schema, and what is given is kept.
    expect(new BeamSearch({ beamSize: 3 }).options).toEqual({
      beamSize: 3,
      nBest: 1,
      lengthPenalty: 0.75,
      minLength: 1,
      minLengthRatio: 0,
      maxLengthRatio: 0,
      noRepeatNgramSize: 0,
      coveragePenalty: 0,
      earlyStopping: 'bound',
    });
    const model = toyStepModel({ vocabSize: v, seed: 1 });
    const blind: StepModel = {
      ...model,
      step: (prev, state, cache) => ({ ...model.step(prev, state, cache), weights: undefined }),
    };
    await expect(
      new BeamSearch({ coveragePenalty: 0.2 }).search(blind, memory, { maxLength: 3 }),
    ).rejects.toThrow(ConfigError);
    model.dispose();
  });
});

/** A model that counts its steps. */
function counting(model: ReturnType<typeof toyStepModel>) {
  const out = { ...model, steps: 0 };
  out.step = (prev, state, cache) => {
    out.steps++;
    return model.step(prev, state, cache);
  };
  return out;
}
