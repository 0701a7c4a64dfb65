import * as tf from '@tensorflow/tfjs';
import type { OutputContext, OutputLayer } from '../contracts/output.js';
import { softmaxCrossEntropy } from '../ops/softmax-cross-entropy.js';
import type { Batch } from './batch.js';
import type { Seq2Seq } from './seq2seq.js';

/**
 * Mean negative log-likelihood per real target token of `[B, T, D]` decoder features, with
 * label smoothing ε: (1−ε)·NLL + ε·(−mean_v log p_v); through the fused
 * {@link softmaxCrossEntropy} when the output layer exposes logits. {@link Seq2Seq.loss}
 * applies it to teacher-forced features; scheduled sampling to features decoded from
 * partly sampled inputs.
 */
export function maskedNll(
  output: OutputLayer,
  features: tf.Tensor3D,
  context: OutputContext,
  batch: Batch,
  smoothing: number,
): tf.Scalar {
  return tf.tidy(() => {
    const [b, t] = batch.targetOut.shape;
    const gold = batch.targetOut.reshape([b * t]) as tf.Tensor1D;
    let perToken: tf.Tensor;
    if (output.logits) {
      const logits = output.logits(features, context);
      perToken = softmaxCrossEntropy(logits.reshape([b * t, -1]), gold, smoothing);
    } else {
      const flat = output.logProbs(features, context).reshape([b * t, -1]) as tf.Tensor2D;
      perToken = tf.neg(tf.sum(tf.mul(flat, tf.oneHot(gold, flat.shape[1])), 1));
      if (smoothing > 0) {
        perToken = tf.add(
          tf.mul(perToken, 1 - smoothing),
          tf.mul(tf.neg(tf.mean(flat, 1)), smoothing),
        );
      }
    }
    const mask = batch.targetMask.reshape([b * t]);
    return tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
