import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { RunOptions, SeedSource } from '../contracts/module.js';
import type { OutputContext } from '../contracts/output.js';
import { parseOptions } from '../errors/options.js';
import type { Batch } from '../model/batch.js';
import { maskedNll } from '../model/loss.js';
import type { Seq2Seq } from '../model/seq2seq.js';

/** What to feed in place of the gold token: a sample from the model, or its argmax. */
export type SampledFeed = 'sample' | 'argmax';

/** Options of {@link scheduledSamplingLoss}. */
export interface ScheduledSamplingLossOptions {
  /** p: per token, the chance of feeding the model's own prediction instead of y_{t−1}. */
  readonly probability: number;
  /** Default `sample`, as Bengio et al. do. */
  readonly feed?: SampledFeed;
  /** Seeds the coin flips, the samples and the model's dropout. */
  readonly rng: SeedSource;
  /** Default true. */
  readonly training?: boolean;
  /** ε of label smoothing, as in {@link Seq2Seq.loss}. Default 0. */
  readonly labelSmoothing?: number;
}

/** {@link ScheduledSamplingLossOptions} as a zod schema, with its defaults. */
export const scheduledSamplingLossOptions = z.strictObject({
  probability: z
    .number()
    .min(0)
    .max(1)
    .describe("p: per token, the chance of feeding the model's own prediction"),
  feed: z.enum(['sample', 'argmax']).default('sample').describe('Default sample'),
  rng: z
    .custom<SeedSource>(
      (v) => typeof (v as SeedSource | null)?.nextSeed === 'function',
      'expected a seed source { nextSeed() }',
    )
    .describe("Seeds the coin flips, the samples and the model's dropout"),
  training: z.boolean().default(true),
  labelSmoothing: z.number().min(0).max(1).default(0).describe('ε of label smoothing'),
});

/**
 * The masked NLL of a batch under scheduled sampling (Bengio et al. 2015). The decoder runs
 * one `step` per position; the input of step t is, independently for each row, the
 * model's own prediction from step t − 1 with probability p, else the gold y_{t−1}. The
 * first input is always `<bos>`. No gradient flows through the choice of token.
 *
 * Random numbers are drawn from `rng` in a fixed order, so a seeded run repeats: for each
 * t ≥ 1, after step t − 1, a seed for the sample (when `feed` is `sample`) and then a seed
 * for the coin flips. With p = 0 this is the teacher-forced loss; the trainer then uses the
 * faster `decoder.forward` path instead. Extra losses a decoder's `forward` adds (coverage)
 * are not part of it, since `step` does not report them.
 */
export function scheduledSamplingLoss(
  model: Seq2Seq,
  batch: Batch,
  options: ScheduledSamplingLossOptions,
): tf.Scalar {
  const o = parseOptions('scheduledSamplingLoss', scheduledSamplingLossOptions, options);
  const { probability: p, feed, labelSmoothing: smoothing } = o;
  const run: RunOptions = { training: o.training, rng: o.rng };
  return tf.tidy(() => {
    const memory = model.encode(batch.source, batch.sourceMask, {
      ...run,
      ...(batch.inputs ? { inputs: batch.inputs } : {}),
    });
    const cache = model.decoder.prepare(memory, run);
    let state = model.decoder.initialState(cache, run);
    const gold = tf.unstack(batch.targetIn, 1) as tf.Tensor1D[];
    const outputs: tf.Tensor2D[] = [];
    const weights: tf.Tensor2D[] = [];
    let prev = gold[0]!;
    for (let t = 0; t < gold.length; t++) {
      const r = model.decoder.step(prev, state, cache, run);
      outputs.push(r.output);
      if (r.weights) weights.push(r.weights);
      state = r.state;
      if (t + 1 < gold.length) {
        const context = { memory, ...(r.weights ? { weights: r.weights } : {}) };
        // Unnormalised scores suffice: argmax and Gumbel-max are unchanged by log-softmax.
        const scores = (model.output.logits ?? model.output.logProbs).call(
          model.output,
          r.output,
          context,
        ) as tf.Tensor2D;
        const predicted =
          feed === 'argmax'
            ? (tf.argMax(scores, 1) as tf.Tensor1D)
            : sampleTokens(scores, options.rng.nextSeed());
        prev = mixTokens(gold[t + 1]!, stopGradient(predicted), p, options.rng.nextSeed());
      }
    }
    // The loss over all steps at once, from stacked features, exactly as teacher forcing
    // computes it: with p = 0 the two agree bit for bit, whatever the matMul blocking.
    const features = tf.stack(outputs, 1) as tf.Tensor3D;
    const context: OutputContext = {
      memory,
      ...(weights.length ? { weights: tf.stack(weights, 1) } : {}),
    };
    return maskedNll(model.output, features, context, batch, smoothing);
  });
}

/**
 * One token per row drawn from `[N, V]` logits or log-probabilities by the Gumbel-max
 * trick: argmax_v (z_v + g_v), g_v = −log(−log U_v), which picks v with probability
 * softmax(z)_v.
 */
export function sampleTokens(scores: tf.Tensor2D, seed: number): tf.Tensor1D {
  return tf.tidy(() => {
    const u = tf.randomUniform(scores.shape, 0, 1, 'float32', seed);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    return tf.argMax(tf.add(scores, gumbel), 1) as tf.Tensor1D;
  });
}

/** Per row, `predicted` with probability p (U < p, U ~ U[0, 1)), else `gold`. */
export function mixTokens(
  gold: tf.Tensor1D,
  predicted: tf.Tensor1D,
  p: number,
  seed: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const coin = tf.less(tf.randomUniform(gold.shape, 0, 1, 'float32', seed), p);
    return tf.where(coin, predicted.toInt(), gold.toInt()) as tf.Tensor1D;
  });
}

/**
 * `x` with its history hidden from the gradient tape. tfjs has no stopGradient, and an
 * int32 token id on the tape makes backprop fail at the embedding lookup. The forward
 * function of a `customGrad` runs untaped and only its tensor arguments are recorded, so
 * a custom op over a constant that returns a copy of `x` cuts the path.
 */
function stopGradient<T extends tf.Tensor>(x: T): T {
  const cut = tf.customGrad((anchor) => ({
    value: x.clone(),
    gradFunc: () => tf.zerosLike(anchor as tf.Tensor),
  }));
  return cut(tf.scalar(0)) as T;
}
