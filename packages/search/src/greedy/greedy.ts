import {
  type Hypothesis,
  type Memory,
  parseOptions,
  type SearchOptions,
  type SearchStrategy,
  type StepModel,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { callOptions } from '../decoding/options.js';
import { decodeRowwise, type TokenPicker } from '../decoding/rowwise.js';
import { hypothesis } from '../hypothesis/hypothesis.js';

/**
 * Greedy search: the most probable token at each step, until `<eos>` or `maxLength`.
 * The whole batch steps together with one host read per step; rows that have finished
 * are gathered out of the batch (state and cache), so they stop costing work.
 */
export class GreedySearch implements SearchStrategy {
  readonly name = 'greedy';

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const call = callOptions('greedy search', options);
    const rows = await decodeRowwise(model, memory, call, 1, argmaxPicker);
    return rows.map((row) => [hypothesis(row, call.alignments)]);
  }
}

/** Argmax on the device; only the token and its log-probability travel to the host. */
const argmaxPicker: TokenPicker = {
  gather: (logProbs) =>
    tf.stack([tf.argMax(logProbs, 1).toFloat(), tf.max(logProbs, 1)], 1) as tf.Tensor2D,
  pick: (values) => ({ token: values[0]!, logProb: values[1]! }),
};

/** The options `{ name: 'greedy' }` takes: none. */
export const greedySearchOptions = z.strictObject({});

/** Registry factory: `{ name: 'greedy' }`. */
export function createGreedySearch(options: Readonly<Record<string, unknown>> = {}): GreedySearch {
  parseOptions('greedy search', greedySearchOptions, options);
  return new GreedySearch();
}
