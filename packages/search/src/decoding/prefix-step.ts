import {
  type DecoderCache,
  type DecoderState,
  disposeTree,
  gatherTree,
  type StepModel,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import type { Prefix } from '../hypothesis/hypothesis.js';
import { readOnce } from './rows.js';

/** A prefix to extend by one token, and the source it belongs to. */
export interface PrefixRow {
  readonly prefix: Prefix | null;
  readonly source: number;
}

/** What {@link stepPrefixes} read back. */
export interface PrefixStep {
  /** Row i: the state after prefix i. */
  readonly state: DecoderState;
  /** log P(y | prefix i, x) at `i·V + y`. */
  readonly logProbs: Float32Array;
  /** `[S]` attention weights of row i, when recorded. */
  weights(i: number): Float32Array | undefined;
}

/**
 * One model call over arbitrary prefixes of arbitrary sources, as exact and exhaustive
 * search make them: `inputState` assembles the prefixes' states row by row (inside the
 * call's tidy), the source-major cache is gathered to their sources, and log-probabilities
 * and attention weights come back in one host read.
 */
export async function stepPrefixes(
  model: StepModel,
  cache: DecoderCache,
  rows: readonly PrefixRow[],
  inputState: () => DecoderState,
  alignments: boolean,
): Promise<PrefixStep> {
  const step = tidyTree(() => {
    const ids = (values: number[]) => tf.tensor1d(values, 'int32');
    const r = model.step(
      ids(rows.map((row) => row.prefix?.token ?? model.bos)),
      inputState(),
      gatherTree(cache, ids(rows.map((row) => row.source))),
    );
    const weights = alignments ? r.weights : undefined;
    return { state: r.state, logProbs: r.logProbs, ...(weights ? { weights } : {}) };
  });
  const data = await readOnce(step.weights ? [step.logProbs, step.weights] : [step.logProbs]);
  const s = step.weights?.shape[1] ?? 0;
  disposeTree([step.logProbs, step.weights]);
  const at = rows.length * model.vocabSize;
  return {
    state: step.state,
    logProbs: data.subarray(0, at),
    weights: (i) => (s > 0 ? data.slice(at + i * s, at + (i + 1) * s) : undefined),
  };
}
