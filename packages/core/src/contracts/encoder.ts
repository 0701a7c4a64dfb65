import type * as tf from '@tensorflow/tfjs';
import type { Memory } from './memory.js';
import type { Module, RunOptions } from './module.js';

/**
 * Reads a variable-length source and returns its {@link Memory}.
 *
 * The source is `[B, S]` int32 token ids or `[B, S, F]` float32 feature frames, with a
 * `[B, S]` mask (1 = real). Padding must never change a state at a real position, and
 * `Memory.final` must be taken at each row's last real position. An encoder that
 * changes the time axis (a pyramidal one halves it) returns the matching mask.
 */
export interface Encoder extends Module {
  /** Size H of each vector in `Memory.states`. */
  readonly outputSize: number;
  /** Size of each vector in `Memory.final`, bottom layer first. */
  readonly finalSizes: readonly number[];
  encode(source: tf.Tensor, mask: tf.Tensor2D, options: EncodeOptions): Memory;
}

/**
 * Further named inputs that come with a source, batch-major: a question beside a passage
 * for a multi-source encoder, source ids in an extended vocabulary for a copy mechanism.
 * `Seq2Seq` also hands them on in `Memory.extras`, under the same names.
 */
export type SourceInputs = Readonly<Record<string, tf.Tensor>>;

/** What {@link Encoder.encode} receives besides the source. */
export interface EncodeOptions extends RunOptions {
  readonly inputs?: SourceInputs;
}

/**
 * Turns an encoder's memory into the fixed context c = q(h_1, …, h_S) that initialises
 * (or is fed to) a decoder.
 */
export interface Bridge extends Module {
  /** Size of the context vector it returns. */
  readonly outputSize: number;
  /** `[B, outputSize]`. */
  context(memory: Memory, options: RunOptions): tf.Tensor2D;
}
