/**
 * What the server and the queue workers need of a trained model: the shape of the
 * trained-task-model object's `info()` and `decode()`. Anything with these two methods
 * serves; tests pass a fake.
 */

/** Options of one decode call. */
export interface DecodeOptions {
  /** Hypotheses per input, best first. Default 1. */
  readonly nbest?: number;
  /** Also return each hypothesis's alignment (attention weights, one row per output token). */
  readonly alignments?: boolean;
}

/** One output of one input. */
export interface DecodedHypothesis {
  readonly text: string;
  /** The search's ranking score (log-probability, length-normalised where the search is). */
  readonly score: number;
  /** `[T][S]`: for each output token, its weights over the source positions. */
  readonly alignment?: readonly (readonly number[])[];
}

/** The n-best outputs of one input. */
export interface DecodeResult {
  readonly input: string;
  readonly hypotheses: readonly DecodedHypothesis[];
}

/** A model that can be served: it describes itself and decodes a batch of texts. */
export interface ServableModel {
  /** A JSON-ready description: task, settings, vocabulary sizes, backend. */
  info(): Record<string, unknown>;
  /** Decodes `texts` as one batch; result `i` belongs to `texts[i]`. */
  decode(texts: readonly string[], options?: DecodeOptions): Promise<readonly DecodeResult[]>;
}
