import { assertShape, type Memory, ShapeError } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/**
 * Supervision of an attention's alignments by known supporting positions (the supporting
 * facts of bAbI, as in the strongly supervised memory networks of Weston et al. 2015).
 */
export interface AttentionSupervision {
  /**
   * Name of a `[B, S]` float32 tensor in `Memory.extras` (a named source input of the
   * batch): 0 at positions that support nothing, r ≥ 1 at the r-th supporting position.
   * Absent from the memory (as at inference), nothing is supervised.
   */
  readonly input: string;
  /** λ, the weight of the supervision loss beside the NLL. Default 1. */
  readonly weight?: number;
  /**
   * `ordered`: hop k is sent to the (k+1)-th supporting position, the last hop to every
   * one from there on, and hops beyond the last supporting position to that position
   * again. `set`: every hop to any supporting position. Default `ordered`.
   */
  readonly order?: 'ordered' | 'set';
}

/** The `supervision` option of an attention, with its defaults. */
export const attentionSupervisionOptions = z.strictObject({
  input: z
    .string()
    .min(1)
    .describe(
      'Name of a [B, S] tensor in Memory.extras: 0 at positions that support nothing, r ≥ 1 at the r-th supporting position',
    ),
  weight: z
    .number()
    .min(0)
    .default(1)
    .describe('λ, the weight of the supervision loss beside the NLL'),
  order: z
    .enum(['ordered', 'set'])
    .default('ordered')
    .describe(
      "'ordered': hop k to the (k+1)-th supporting position; 'set': every hop to any supporting position",
    ),
});

/** A validated {@link AttentionSupervision}, defaults filled in. */
export type ResolvedSupervision = z.output<typeof attentionSupervisionOptions>;

/**
 * `[B, K, S]` 0/1 targets of K hops from the ranks in `memory.extras[input]`, or
 * undefined when the memory carries no ranks. Only real positions are ever targets.
 */
export function supervisionTargets(
  supervision: ResolvedSupervision,
  memory: Memory,
  hops: number,
): tf.Tensor3D | undefined {
  const ranks = memory.extras?.[supervision.input];
  if (ranks === undefined) return undefined;
  if (!(ranks instanceof tf.Tensor)) {
    throw new ShapeError(
      `supervision input '${supervision.input}'`,
      'a [B, S] tensor of supporting ranks',
      'a record',
    );
  }
  assertShape(`supervision input '${supervision.input}'`, ranks, memory.mask.shape, ['B', 'S']);
  return tf.tidy(() => {
    const r = tf.mul(ranks.toFloat(), memory.mask);
    const supporting = tf.greater(r, 0);
    if (supervision.order === 'set') {
      return tf.tile(supporting.toFloat().expandDims(1), [1, hops, 1]) as tf.Tensor3D;
    }
    const count = tf.max(r, 1, true);
    const perHop = Array.from({ length: hops }, (_, k) => {
      // r_k = min(k + 1, count): a hop past the last supporting position returns to it.
      const rk = tf.minimum(count, k + 1);
      const hit = k < hops - 1 ? tf.equal(r, rk) : tf.greaterEqual(r, rk);
      return tf.logicalAnd(hit, supporting).toFloat();
    });
    return tf.stack(perHop, 1) as tf.Tensor3D;
  });
}

/**
 * Returns `weights` unchanged, but adds λ·∂L/∂a of the supervision loss
 * L = −Σ_rows log Σ_j t_j a_j / B to their gradient: training then follows NLL + λ·L while
 * the attention contract stays as it is (an attention has no channel for a loss of its
 * own). Rows whose targets are all 0 add nothing. The reported loss is the NLL alone.
 *
 * @param weights `[B, …, S]` alignments (a softmax output).
 * @param targets 0/1 targets broadcastable to `weights`.
 */
export function supervised<T extends tf.Tensor>(weights: T, targets: tf.Tensor, weight: number): T {
  if (weight === 0) return weights;
  const rows = weights.shape[0]!;
  // Σ_j over the steps too: with all T steps at once, each step counts as its own query.
  const scale = weight / rows;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, t, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, t]);
    return {
      value: a.clone(),
      gradFunc: (dy, saved) => {
        const [a0, t0] = saved as [tf.Tensor, tf.Tensor];
        const mass = tf.sum(tf.mul(t0, a0), -1, true);
        // −∂ log(Σ t a)/∂a = −t / Σ t a; the 1e-12 keeps rows without targets at 0.
        const g = tf.div(t0, tf.add(mass, 1e-12));
        return [tf.sub(dy, tf.mul(g, scale)), tf.zerosLike(t0)];
      },
    };
  });
  return op(weights, tf.broadcastTo(targets, weights.shape)) as T;
}
