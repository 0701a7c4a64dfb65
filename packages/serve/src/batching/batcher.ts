import { ConfigError, parseOptions } from '@s2s/core';
import { z } from 'zod';
import type { DecodeOptions, DecodeResult } from '../model/servable-model.js';
import { DrainingError, QueueFullError, RequestTimeoutError } from './errors.js';

/** Settings of a {@link DynamicBatcher}. */
export interface BatcherOptions {
  /** Most inputs decoded in one call; a request with more is decoded alone. */
  readonly maxBatch: number;
  /**
   * How long the first waiting request holds the batch open for others, in ms. With the
   * default 0 a batch goes as soon as a decoding thread is free, and the requests that
   * arrive while every thread is busy form the next one, so batches grow with the load.
   */
  readonly windowMs: number;
  /** Most requests waiting to be decoded; one more is refused with {@link QueueFullError}. */
  readonly maxQueue: number;
  /** Time limit of a request from arrival to result, in ms; 0 for none. */
  readonly timeoutMs: number;
  /**
   * Batches decoded at once (one per worker thread of the model). While this many are in
   * flight, requests wait and form the next batch, sent as soon as one finishes.
   */
  readonly concurrency: number;
}

/** {@link BatcherOptions} as a zod schema, with the defaults. */
export const batcherOptions = z.strictObject({
  maxBatch: z.int().positive().default(32).describe('Most inputs decoded in one call'),
  windowMs: z
    .number()
    .min(0)
    .default(0)
    .describe(
      'How long the first waiting request holds the batch open, in ms; 0: a batch goes as soon as a decoding thread is free',
    ),
  maxQueue: z.int().positive().default(256).describe('Most requests waiting to be decoded'),
  timeoutMs: z
    .number()
    .min(0)
    .default(30_000)
    .describe('Time limit of a request from arrival to result, in ms; 0 for none'),
  concurrency: z.int().positive().default(1).describe('Batches decoded at once'),
});

/** The defaults of {@link BatcherOptions}. */
export const batcherDefaults: BatcherOptions = batcherOptions.parse({});

/** Decodes one batch of texts, all with the same options; result `i` is for `texts[i]`. */
export type DecodeBatch = (
  texts: readonly string[],
  options: DecodeOptions,
) => Promise<readonly DecodeResult[]>;

interface Pending {
  readonly texts: readonly string[];
  readonly options: DecodeOptions;
  /** Requests batch together only with others of the same options. */
  readonly key: string;
  readonly resolve: (results: readonly DecodeResult[]) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  settled: boolean;
}

/**
 * Dynamic batching: requests that arrive within `windowMs` of the first waiting one are
 * decoded together in one call, up to `maxBatch` inputs; up to `concurrency` decode calls
 * run at a time (one per worker thread), and while all are busy, requests arriving
 * meanwhile form the next batch, sent as soon as a call finishes. Requests are served first come, first
 * served. When a batch fails, each of its requests is decoded again on its own, so one bad
 * request fails alone instead of failing the others it happened to share a batch with.
 */
export class DynamicBatcher {
  readonly options: BatcherOptions;
  /** Counts since construction, for logs and the model-info endpoint. */
  readonly stats = { requests: 0, batches: 0, inputs: 0 };
  private readonly queue: Pending[] = [];
  /** Decode calls in flight. */
  private inFlight = 0;
  private draining = false;
  private window: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Moving average of one decode call's duration, for `Retry-After`. */
  private batchMs = 100;

  constructor(
    private readonly decode: DecodeBatch,
    options: Partial<BatcherOptions> = {},
  ) {
    this.options = parseOptions('batcher', batcherOptions, options);
  }

  /** Requests waiting to be decoded (not counting the batches being decoded). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a new request would be refused. */
  get full(): boolean {
    return this.queue.length >= this.options.maxQueue;
  }

  /** Seconds a refused client should wait: the time to decode what is queued now. */
  retryAfterSeconds(): number {
    const batches = Math.ceil(this.queue.length / Math.max(1, this.options.maxBatch));
    const rounds = Math.ceil((batches + 1) / this.options.concurrency);
    return Math.max(1, Math.ceil((rounds * this.batchMs) / 1000));
  }

  /**
   * Queues `texts` for decoding and resolves with their results, in order. Rejects with
   * {@link QueueFullError} when `maxQueue` requests are already waiting, with
   * {@link RequestTimeoutError} after `timeoutMs`, and with {@link DrainingError} once
   * {@link drain} was called.
   */
  submit(texts: readonly string[], options: DecodeOptions = {}): Promise<readonly DecodeResult[]> {
    if (this.draining) return Promise.reject(new DrainingError());
    if (this.full) {
      return Promise.reject(new QueueFullError(this.options.maxQueue, this.retryAfterSeconds()));
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        texts,
        options,
        key: JSON.stringify([options.nbest ?? 1, options.alignments ?? false]),
        settled: false,
        resolve: (results) => settle(() => resolve(results)),
        reject: (error) => settle(() => reject(error)),
      };
      const settle = (act: () => void) => {
        if (pending.settled) return;
        pending.settled = true;
        clearTimeout(pending.timer);
        act();
      };
      if (this.options.timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          const at = this.queue.indexOf(pending);
          if (at >= 0) this.queue.splice(at, 1);
          pending.reject(new RequestTimeoutError(this.options.timeoutMs));
        }, this.options.timeoutMs);
      }
      this.stats.requests++;
      this.queue.push(pending);
      this.schedule();
    });
  }

  /** Takes no new requests, decodes every waiting one, and resolves when none is left. */
  drain(): Promise<void> {
    this.draining = true;
    this.schedule();
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  private schedule(): void {
    if (this.inFlight >= this.options.concurrency || this.queue.length === 0) return;
    const queued = this.queue.reduce((n, p) => n + p.texts.length, 0);
    if (queued >= this.options.maxBatch || this.draining || this.options.windowMs === 0) {
      clearTimeout(this.window);
      this.window = undefined;
      void this.flush();
    } else {
      this.window ??= setTimeout(() => {
        this.window = undefined;
        void this.flush();
      }, this.options.windowMs);
    }
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.options.concurrency || this.queue.length === 0) return;
    this.inFlight++;
    const batch = this.take();
    // Another call may be free for the requests that did not fit: full now, or a window.
    this.schedule();
    try {
      await this.run(batch);
    } finally {
      this.inFlight--;
    }
    if (this.queue.length > 0) {
      // These requests waited through a decode already: no window for them, but let the
      // sockets deliver what else has arrived (setImmediate runs after I/O callbacks).
      setImmediate(() => void this.flush());
    } else if (this.inFlight === 0) {
      for (const done of this.idleWaiters.splice(0)) done();
    }
  }

  /**
   * The oldest request and the next ones with the same options, up to `maxBatch` inputs;
   * it stops at the first that does not fit, so no request is overtaken by a later one.
   */
  private take(): Pending[] {
    const head = this.queue[0]!;
    const batch = [head];
    let size = head.texts.length;
    for (const p of this.queue.slice(1)) {
      if (p.key !== head.key) continue;
      if (size + p.texts.length > this.options.maxBatch) break;
      batch.push(p);
      size += p.texts.length;
    }
    for (const p of batch) this.queue.splice(this.queue.indexOf(p), 1);
    return batch;
  }

  private async run(batch: readonly Pending[]): Promise<void> {
    const texts = batch.flatMap((p) => p.texts);
    const started = performance.now();
    try {
      const results = await this.call(texts, batch[0]!.options);
      let at = 0;
      for (const p of batch) {
        p.resolve(results.slice(at, at + p.texts.length));
        at += p.texts.length;
      }
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      // Find the culprit: each request alone, so the others still get their results.
      else for (const p of batch) await this.call(p.texts, p.options).then(p.resolve, p.reject);
    } finally {
      this.batchMs = 0.8 * this.batchMs + 0.2 * (performance.now() - started);
      this.stats.batches++;
      this.stats.inputs += texts.length;
    }
  }

  private async call(texts: readonly string[], options: DecodeOptions) {
    const results = await this.decode(texts, options);
    if (results.length !== texts.length) {
      throw new ConfigError(
        `the model returned ${results.length} results for a batch of ${texts.length} inputs; expected one per input`,
      );
    }
    return results;
  }
}
