/** What the producer puts in a job: a run of consecutive input lines. */
export interface DecodeJobData<P> {
  /** Index (0-based) of the first line in the whole input. */
  readonly start: number;
  readonly texts: readonly string[];
  /** Decode settings chosen by the producer, passed to the worker's processor as they are. */
  readonly payload: P;
}

/**
 * What a worker does with a job: decode `texts` (lines `start`, `start + 1`, … of the
 * input) and return one result per text, in order. A typed s2s error (`S2SError`) means
 * the input is bad: the job fails at once with that message, without retries.
 */
export type DecodeProcessor<P, R> = (job: DecodeJobData<P>) => Promise<readonly R[]>;
