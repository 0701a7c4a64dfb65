import {
  type DecoderCache,
  type DecoderState,
  disposeTree,
  gatherTree,
  type Memory,
  type StepModel,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import type { DecodedRow } from '../hypothesis/hypothesis.js';
import type { CallOptions } from './options.js';
import { expandedCache, readOnce } from './rows.js';

/** How {@link decodeRowwise} chooses each row's next token. */
export interface TokenPicker {
  /** Device side: `[N, V]` log-probabilities → `[N, W]` values read back for {@link pick}. */
  gather(logProbs: tf.Tensor2D): tf.Tensor2D;
  /** Host side: the token and its log P(y_t | y_<t, x) from one row's W values. */
  pick(values: Float32Array): { token: number; logProb: number };
}

/**
 * Rows whose share of the batch falls to this fraction or less are gathered out of state
 * and cache, so finished rows stop costing work without a gather at every step.
 */
export const COMPACT_AT = 0.75;

/**
 * Decodes `copies` independent rows per source, one token per row per step (greedy
 * search, sampling), with one host read per step. Returns the rows source-major:
 * row `s·copies + i` is copy i of source s.
 */
export async function decodeRowwise(
  model: StepModel,
  memory: Memory,
  call: CallOptions,
  copies: number,
  picker: TokenPicker,
): Promise<DecodedRow[]> {
  const n = memory.states.shape[0] * copies;
  const rows: DecodedRow[] = Array.from({ length: n }, () => ({
    tokens: [],
    tokenLogProbs: [],
    alignment: [],
    finished: false,
  }));
  // held[i]: the row that tensor row i decodes, or −1 once it has finished.
  let held = [...rows.keys()];
  let cache: DecoderCache = expandedCache(model, memory, copies);
  let state: DecoderState = tidyTree(() => model.initialState(cache));
  let prev = tf.fill([n], model.bos, 'int32') as tf.Tensor1D;
  try {
    for (let t = 0; t < call.maxLength; t++) {
      const step = tidyTree(() => {
        const r = model.step(prev, state, cache);
        const picked = picker.gather(r.logProbs);
        const weights = call.alignments ? r.weights : undefined;
        return { state: r.state, picked, ...(weights ? { weights } : {}) };
      });
      const values = await readOnce(step.weights ? [step.picked, step.weights] : [step.picked]);
      const w = step.picked.shape[1]!;
      const s = step.weights?.shape[1] ?? 0;
      disposeTree([state, step.picked, step.weights]);
      state = step.state;
      const next: number[] = [];
      const weightsAt = held.length * w; // [N, W] picked values first, then [N, S] weights
      held.forEach((id, i) => {
        if (id < 0) return void next.push(model.bos); // finished, still in the batch
        const row = rows[id]!;
        const { token, logProb } = picker.pick(values.subarray(i * w, (i + 1) * w));
        row.tokens.push(token);
        row.tokenLogProbs.push(logProb);
        if (s > 0) {
          const at = weightsAt + i * s;
          row.alignment.push(Array.from(values.subarray(at, at + s)));
        }
        if (token === model.eos) {
          row.finished = true;
          held[i] = -1;
        }
        next.push(token);
      });
      const live = held.flatMap((id, i) => (id >= 0 ? [i] : []));
      if (live.length === 0) break;
      prev.dispose();
      if (live.length <= COMPACT_AT * held.length) {
        const keep = tf.tensor1d(live, 'int32');
        const [nextCache, nextState] = [gatherTree(cache, keep), gatherTree(state, keep)];
        keep.dispose();
        disposeTree([cache, state]);
        [cache, state] = [nextCache, nextState];
        held = live.map((i) => held[i]!);
        prev = tf.tensor1d(
          live.map((i) => next[i]!),
          'int32',
        );
      } else {
        prev = tf.tensor1d(next, 'int32');
      }
    }
  } finally {
    disposeTree([cache, state, prev]);
  }
  return rows;
}
