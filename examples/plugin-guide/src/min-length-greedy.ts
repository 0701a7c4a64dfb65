import {
  disposeTree,
  type Hypothesis,
  type Memory,
  parseOptions,
  type SearchOptions,
  type SearchStrategy,
  type StepModel,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/** The options `{ name: 'min-length-greedy', … }` takes, with their defaults. */
export const minLengthGreedyOptions = z.strictObject({
  minLength: z.int().nonnegative().default(0).describe('Fewest tokens before <eos> may come'),
});

/** One output being built. */
interface Row {
  readonly tokens: number[];
  readonly tokenLogProbs: number[];
  readonly alignment: number[][];
  finished: boolean;
}

/**
 * Greedy search that will not end an output before `minLength` tokens: at each step the
 * most probable token, `<eos>` excluded while the output is too short. Scores stay the
 * model's own log-probabilities (the ban changes the choice, not the probabilities).
 */
export class MinLengthGreedy implements SearchStrategy {
  readonly name = 'min-length-greedy';
  private readonly minLength: number;

  constructor(options: z.input<typeof minLengthGreedyOptions> = {}) {
    this.minLength = parseOptions(
      'min-length-greedy search',
      minLengthGreedyOptions,
      options,
    ).minLength;
  }

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const b = memory.states.shape[0];
    const rows: Row[] = Array.from({ length: b }, () => ({
      tokens: [],
      tokenLogProbs: [],
      alignment: [],
      finished: false,
    }));
    const cache = model.prepare(memory);
    let state = tidyTree(() => model.initialState(cache));
    let prev = tf.fill([b], model.bos, 'int32') as tf.Tensor1D;
    try {
      for (let t = 0; t < options.maxLength && rows.some((r) => !r.finished); t++) {
        const step = tidyTree(() => {
          const r = model.step(prev, state, cache);
          const ban = t < this.minLength ? tf.oneHot([model.eos], model.vocabSize).toFloat() : 0;
          const token = tf.argMax(tf.sub(r.logProbs, tf.mul(ban, 1e9)), 1);
          // [B]: the log-probability of each row's pick, read from its own row.
          const chosen = tf.oneHot(token, model.vocabSize).cast('bool');
          const logProb = tf.max(tf.where(chosen, r.logProbs, -Infinity), 1);
          const picked = tf.stack([token.toFloat(), logProb], 1) as tf.Tensor2D;
          return { state: r.state, picked, ...(r.weights ? { weights: r.weights } : {}) };
        });
        // One host read per step: the picks, and the weights when alignments are wanted.
        const picked = (await step.picked.array()) as [number, number][];
        const weights = options.alignments !== false ? await step.weights?.array() : undefined;
        disposeTree([state, prev, step.picked, step.weights]);
        state = step.state;
        rows.forEach((row, i) => {
          if (row.finished) return;
          const [token, logProb] = picked[i]!;
          row.tokens.push(token);
          row.tokenLogProbs.push(logProb);
          if (weights) row.alignment.push(weights[i]!);
          row.finished = token === model.eos;
        });
        // A finished row keeps stepping on <eos> with the others; its picks are ignored.
        prev = tf.tensor1d(
          picked.map(([token]) => token),
          'int32',
        );
      }
    } finally {
      disposeTree([cache, state, prev]);
    }
    return rows.map((row) => [hypothesisOf(row)]);
  }
}

function hypothesisOf(row: Row): Hypothesis {
  const logProb = row.tokenLogProbs.reduce((a, b) => a + b, 0);
  return {
    tokens: row.tokens,
    score: logProb,
    logProb,
    tokenLogProbs: row.tokenLogProbs,
    ...(row.alignment.length > 0 ? { alignment: row.alignment } : {}),
    finished: row.finished,
  };
}
