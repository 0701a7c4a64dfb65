import type * as tf from '@tensorflow/tfjs';
import type { TensorTree } from '../tree/tensor-tree.js';
import type { Memory } from './memory.js';
import type { Module } from './module.js';

/**
 * Whatever an attention module precomputes once per source sequence (projected keys, the
 * mask). Batch-major: expanded once for beam search, never recomputed per step.
 */
export type AttentionCache = TensorTree;

/**
 * Attention's own recurrent state, for modules that look at their previous alignment
 * (location-aware) or the running sum of it (coverage). Batch-major, carried inside the
 * decoder state, so search reorders it like any other state.
 */
export type AttentionState = TensorTree;

/** The result of attending once. */
export interface AttentionResult {
  /** `[B, H]` context vector C = Σ_j a_j h_j. */
  readonly context: tf.Tensor2D;
  /** `[B, S]` alignment a; each row sums to 1 and padded positions are exactly 0. */
  readonly weights: tf.Tensor2D;
  /** Next attention state, for stateful modules. */
  readonly state?: AttentionState;
}

/**
 * Lets a decoder weigh every encoder state: e_j = score(query, h_j), a = softmax(e) over
 * real positions, C = Σ_j a_j h_j.
 */
export interface Attention extends Module {
  /** Size of the context vector. */
  readonly contextSize: number;
  /** Precomputes what depends only on the source (keys), once per sequence. */
  prepare(memory: Memory): AttentionCache;
  /** Initial state of a stateful module; stateless modules omit it. */
  initialState?(cache: AttentionCache): AttentionState;
  /** Attends with a `[B, Q]` query. */
  attend(query: tf.Tensor2D, cache: AttentionCache, state?: AttentionState): AttentionResult;
  /**
   * Attends with every step's query at once, `[B, T, Q]` → context `[B, T, H]` and
   * weights `[B, T, S]`. Only for stateless modules; decoders whose queries do not depend
   * on earlier contexts use it to hoist attention out of the time loop.
   */
  attendAll?(
    queries: tf.Tensor3D,
    cache: AttentionCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D };
}
