import type { Memory, StepModel } from '@s2s/core';
import { teacherForcedLogProbs } from '@s2s/core/testing';

/**
 * Every output of at most T' tokens: each sequence that ends at its first `<eos>` within T'
 * tokens, and each T'-token sequence without one. Listed depth first, so by token order.
 */
export function allOutputs(vocabSize: number, eos: number, maxLength: number): number[][] {
  const out: number[][] = [];
  const grow = (prefix: number[]) => {
    for (let y = 0; y < vocabSize; y++) {
      const seq = [...prefix, y];
      if (y === eos || seq.length === maxLength) out.push(seq);
      else grow(seq);
    }
  };
  grow([]);
  return out;
}

/** One output, scored independently of any search code. */
export interface Ranked {
  readonly tokens: number[];
  readonly tokenLogProbs: number[];
  readonly logProb: number;
  readonly finished: boolean;
}

/** Every output of source `row`, with log P recomputed by teacher forcing one at a time. */
export function scoreAll(
  model: StepModel,
  memory: Memory,
  row: number,
  maxLength: number,
): Ranked[] {
  const outputs = allOutputs(model.vocabSize, model.eos, maxLength);
  const logProbs = teacherForcedLogProbs(model, memory, row, outputs);
  return outputs.map((tokens, i) => ({
    tokens,
    tokenLogProbs: logProbs[i]!,
    logProb: logProbs[i]!.reduce((a, b) => a + b, 0),
    finished: tokens.at(-1) === model.eos,
  }));
}

/** log P / L^α written out again, so tests do not reuse the code under test. */
export function normalised(
  r: { logProb: number; tokens: readonly number[] },
  alpha: number,
): number {
  return r.logProb / r.tokens.length ** alpha;
}

/** The `n` best of `outputs` by `score`, best first. */
export function best<T>(outputs: readonly T[], score: (r: T) => number, n: number): T[] {
  return [...outputs].sort((a, b) => score(b) - score(a)).slice(0, n);
}
