import type * as tf from '@tensorflow/tfjs';
import type { DecoderCache, DecoderState } from './decoder.js';
import type { Memory } from './memory.js';

/**
 * A decoder and its output layer seen as a step-wise distribution: everything a search
 * strategy needs, and nothing model-specific.
 */
export interface StepModel {
  /** Size of the distribution each step returns. */
  readonly vocabSize: number;
  /** Token id that starts every target. */
  readonly bos: number;
  /** Token id that ends a target. */
  readonly eos: number;
  /**
   * Precomputes what depends only on the source. Batch-major. The caller owns the returned
   * tree and may dispose it without affecting `memory`.
   */
  prepare(memory: Memory): DecoderCache;
  initialState(cache: DecoderCache): DecoderState;
  /** One step: `[N]` previous tokens → `[N, V]` log-probabilities. Frees its intermediates. */
  step(prev: tf.Tensor1D, state: DecoderState, cache: DecoderCache): StepResult;
}

/** One step of a {@link StepModel}. */
export interface StepResult {
  /** `[N, V]` log P(y_t | y_<t, x). */
  readonly logProbs: tf.Tensor2D;
  readonly state: DecoderState;
  /** `[N, S]` attention weights, when the decoder attends. */
  readonly weights?: tf.Tensor2D;
}

/** One output sequence and how the model scored it. */
export interface Hypothesis {
  /** Emitted token ids, without `<bos>`; ends with `<eos>` when `finished`. */
  readonly tokens: readonly number[];
  /** The score it was ranked by (e.g. log P / L^α for beam search). */
  readonly score: number;
  /** log P(tokens | x) = Σ tokenLogProbs. */
  readonly logProb: number;
  /** log P(y_t | y_<t, x) of each token. */
  readonly tokenLogProbs: readonly number[];
  /** `[tokens.length][S]` attention weights of each step, when the decoder attends. */
  readonly alignment?: readonly (readonly number[])[];
  /** Whether it ended with `<eos>` (rather than at the length limit). */
  readonly finished: boolean;
}

/** Per-call options every strategy honours. */
export interface SearchOptions {
  /** Longest output in tokens, `<eos>` included. */
  readonly maxLength: number;
  /** Record attention alignments in each hypothesis. Default true. */
  readonly alignments?: boolean;
}

/**
 * Turns a model's step-wise distributions into output sequences. Strategies reorder
 * decoder state only by {@link gatherTree} on axis 0, so they work with any decoder.
 */
export interface SearchStrategy {
  readonly name: string;
  /** Returns, for each of the B inputs in `memory`, its hypotheses best first. */
  search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]>;
}
