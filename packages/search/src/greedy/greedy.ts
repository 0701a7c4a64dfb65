import {
  type DecoderCache,
  type DecoderState,
  disposeTree,
  gatherTree,
  type Hypothesis,
  knownOptions,
  type Memory,
  positiveInt,
  type SearchOptions,
  type SearchStrategy,
  type StepModel,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Greedy search: the most probable token at each step, until `<eos>` or `maxLength`.
 * The whole batch steps together with one host read per step; rows that have finished
 * are dropped from the batch (state and cache gathered down), so they stop costing work.
 */
export class GreedySearch implements SearchStrategy {
  readonly name = 'greedy';

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const maxLength = positiveInt('greedy search', 'maxLength', options.maxLength);
    const keepAlignments = options.alignments ?? true;
    const b = memory.states.shape[0];
    const rows: Row[] = Array.from({ length: b }, () => ({
      tokens: [],
      logProbs: [],
      alignment: [],
      finished: false,
    }));
    let active = [...rows.keys()];
    let cache: DecoderCache = tidyTree(() => model.prepare(memory));
    let state: DecoderState = tidyTree(() => model.initialState(cache));
    let prev = tf.fill([b], model.bos, 'int32') as tf.Tensor1D;
    try {
      for (let t = 0; t < maxLength && active.length > 0; t++) {
        const step = tidyTree(() => {
          const r = model.step(prev, state, cache);
          const best = tf.argMax(r.logProbs, 1) as tf.Tensor1D;
          const bestLogProb = tf.max(r.logProbs, 1);
          // One buffer, one read: [token, log p, alignment…] per active row.
          const parts = [best.toFloat().expandDims(1), bestLogProb.expandDims(1)];
          if (keepAlignments && r.weights) parts.push(r.weights);
          return { best, state: r.state, packed: tf.concat(parts, 1) };
        });
        const packed = (await step.packed.data()) as Float32Array;
        const width = step.packed.shape[1]!;
        step.packed.dispose();
        disposeTree(state);
        prev.dispose();
        state = step.state;
        prev = step.best;
        const stillActive: number[] = [];
        active.forEach((row, i) => {
          const hyp = rows[row]!;
          const token = packed[i * width]!;
          hyp.tokens.push(token);
          hyp.logProbs.push(packed[i * width + 1]!);
          if (width > 2)
            hyp.alignment.push(Array.from(packed.subarray(i * width + 2, (i + 1) * width)));
          if (token === model.eos) hyp.finished = true;
          else stillActive.push(i);
        });
        if (stillActive.length < active.length && stillActive.length > 0) {
          // Compact: keep only unfinished rows in state, cache and the next input.
          const keep = tf.tensor1d(stillActive, 'int32');
          const [nextCache, nextState, nextPrev] = [
            gatherTree(cache, keep),
            gatherTree(state, keep),
            tf.gather(prev, keep),
          ];
          keep.dispose();
          disposeTree([cache, state, prev]);
          [cache, state, prev] = [nextCache, nextState, nextPrev as tf.Tensor1D];
        }
        active = stillActive.map((i) => active[i]!);
      }
    } finally {
      disposeTree([cache, state, prev]);
    }
    return rows.map((r) => [toHypothesis(r, keepAlignments)]);
  }
}

interface Row {
  tokens: number[];
  logProbs: number[];
  alignment: number[][];
  finished: boolean;
}

function toHypothesis(row: Row, keepAlignments: boolean): Hypothesis {
  const logProb = row.logProbs.reduce((a, b) => a + b, 0);
  return {
    tokens: row.tokens,
    score: logProb,
    logProb,
    tokenLogProbs: row.logProbs,
    finished: row.finished,
    ...(keepAlignments && row.alignment.length ? { alignment: row.alignment } : {}),
  };
}

/** Registry factory: `{ name: 'greedy' }`. */
export function createGreedySearch(options: Readonly<Record<string, unknown>>): GreedySearch {
  knownOptions('greedy search', options, []);
  return new GreedySearch();
}
