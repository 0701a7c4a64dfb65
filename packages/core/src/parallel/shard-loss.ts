import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { scheduledSamplingLoss } from '../training/scheduled-sampling.js';
import type { ShardLoss } from './protocol.js';

/**
 * The masked mean loss per token of one shard and its gradient for every parameter, in
 * `parameters()` order: the same code in the main thread and in every worker, so replicas
 * differ only in which rows they see.
 */
export function shardGradients(
  model: Seq2Seq,
  batch: Batch,
  spec: ShardLoss,
): { value: tf.Scalar; grads: tf.Tensor[] } {
  const rng = new Rng(spec.seed);
  const options = { training: true, rng, labelSmoothing: spec.labelSmoothing };
  const loss = () =>
    spec.sampling && spec.sampling.probability > 0
      ? scheduledSamplingLoss(model, batch, { ...options, ...spec.sampling })
      : model.loss(batch, options);
  const variables = [...model.parameters().values()];
  const { value, grads } = tf.variableGrads(loss, variables);
  return { value, grads: variables.map((v) => grads[v.name]!) };
}
