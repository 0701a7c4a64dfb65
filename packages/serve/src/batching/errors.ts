import { S2SError } from '@s2s/core';

/** The batcher's queue is full; the caller should retry after `retryAfterSeconds`. */
export class QueueFullError extends S2SError {
  override name = 'QueueFullError';
  constructor(
    readonly capacity: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the decode queue is full (${capacity} requests waiting); expected a free slot, retry in ${retryAfterSeconds} s`,
    );
  }
}

/** A request waited or decoded longer than its time limit. */
export class RequestTimeoutError extends S2SError {
  override name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the request was not decoded within its time limit of ${timeoutMs} ms`);
  }
}

/** The batcher is draining (the server is shutting down) and takes no new requests. */
export class DrainingError extends S2SError {
  override name = 'DrainingError';
  constructor() {
    super('the server is shutting down; expected no new requests');
  }
}
