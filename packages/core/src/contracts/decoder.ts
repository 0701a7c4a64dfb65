import type * as tf from '@tensorflow/tfjs';
import type { TensorTree } from '../tree/tensor-tree.js';
import type { Memory } from './memory.js';
import type { Module, RunOptions } from './module.js';

/**
 * What a decoder derives once per source (the memory itself, attention keys, a bridged
 * context). Batch-major. Search expands it to batch×beam once and never reorders it: the
 * rows of one source are identical, so reordering beams within a source leaves it as is.
 */
export type DecoderCache = TensorTree;

/** A decoder's recurrent state: a batch-major tensor record that search reorders. */
export type DecoderState = TensorTree;

/** One decoding step. */
export interface DecoderStepOutput {
  /** `[B, D]` features that the output layer turns into a distribution over the vocabulary. */
  readonly output: tf.Tensor2D;
  readonly state: DecoderState;
  /** `[B, S]` attention weights of this step, for attentional decoders. */
  readonly weights?: tf.Tensor2D;
}

/** What {@link Decoder.forward} receives: the run options plus what teacher forcing knows. */
export interface DecoderForwardOptions extends RunOptions {
  /**
   * `[B, T]` float32, 1 at real target positions: lets a decoder's extra loss (coverage)
   * skip padding. Given by `Seq2Seq` in training; absent, every position counts.
   */
  readonly targetMask?: tf.Tensor2D;
}

/** Teacher-forced decoding of whole target sequences. */
export interface DecoderForwardOutput {
  /** `[B, T, D]`. */
  readonly output: tf.Tensor3D;
  /** `[B, T, S]`. */
  readonly weights?: tf.Tensor3D;
  /** Extra training loss the decoder asks for (e.g. coverage loss), already weighted. */
  readonly extraLoss?: tf.Scalar;
}

/**
 * Emits one target position at a time given the previous token, its state and the
 * prepared source. The distribution itself comes from an {@link OutputLayer}, so output
 * projections (tied or not, copy or not) are swappable too.
 */
export interface Decoder extends Module {
  /** Size D of `output`. */
  readonly outputSize: number;
  /**
   * The `[V, E]` target embedding matrix, for output layers that tie their projection to
   * it. Absent when the decoder has no token embedding.
   */
  readonly embedding?: tf.Variable;
  /** Precomputes everything that depends only on the source. */
  prepare(memory: Memory, options: RunOptions): DecoderCache;
  initialState(cache: DecoderCache, options: RunOptions): DecoderState;
  /** `prev` is `[B]` int32: the token emitted at the previous step (`<bos>` at first). */
  step(
    prev: tf.Tensor1D,
    state: DecoderState,
    cache: DecoderCache,
    options: RunOptions,
  ): DecoderStepOutput;
  /**
   * Teacher forcing over `[B, T]` int32 inputs (`<bos> y_1 … y_{T-1}`). Must equal calling
   * `step` T times; implementations hoist whatever is not recurrent out of the time loop.
   * Decoders without one get {@link forwardByStepping}.
   */
  forward?(
    targetIn: tf.Tensor2D,
    cache: DecoderCache,
    options: DecoderForwardOptions,
  ): DecoderForwardOutput;
}
