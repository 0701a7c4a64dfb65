import { parseOptions, S2SError } from '@s2s/core';
import { UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { DecodeJobData, DecodeProcessor } from './job.js';
import { DEFAULT_QUEUE, queueConnection } from './queue-url.js';

/** Settings of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  readonly queueName: string;
  /**
   * How long a job stays locked to this worker without a lock renewal, in ms. A worker
   * that dies stops renewing; after this long its job is taken back.
   */
  readonly lockDurationMs: number;
  /** How often this worker looks for jobs whose worker died, in ms. */
  readonly stalledIntervalMs: number;
  /** Jobs this worker decodes at once (decoding is CPU-bound: 1 per core is plenty). */
  readonly concurrency: number;
  /** Called when a job starts and ends, for the worker's log. */
  readonly onJob?: (event: {
    id: string;
    lines: number;
    state: 'active' | 'done' | 'failed';
    error?: string;
  }) => void;
  /** Called with connection errors; BullMQ keeps reconnecting meanwhile. */
  readonly onError?: (error: Error) => void;
}

const callback = <F>() => z.custom<F>((v) => typeof v === 'function', 'expected a function');

/** {@link QueueWorkerOptions} as a zod schema, with the defaults. */
export const queueWorkerOptions = z.strictObject({
  queueName: z.string().min(1).default(DEFAULT_QUEUE).describe('The BullMQ queue'),
  lockDurationMs: z.int().positive().default(30_000).describe('Job lock without renewal, in ms'),
  stalledIntervalMs: z
    .int()
    .positive()
    .default(30_000)
    .describe('How often to look for jobs whose worker died, in ms'),
  concurrency: z.int().positive().default(1).describe('Jobs decoded at once'),
  onJob: callback<QueueWorkerOptions['onJob']>().optional(),
  onError: callback<QueueWorkerOptions['onError']>().optional(),
});

/** The defaults of {@link QueueWorkerOptions}: BullMQ's own lock and stall intervals. */
export const queueWorkerDefaults: QueueWorkerOptions = queueWorkerOptions.parse({});

/**
 * Starts a BullMQ worker that decodes jobs from the queue at `url` with `process`. A worker
 * killed in the middle of a job loses nothing: its lock expires, another worker's stalled
 * check puts the job back in the queue, and it is decoded again. A bad input (a typed s2s
 * error) fails its job at once with the message recorded; other errors are retried as the
 * producer set (`attempts`). Close the returned worker to stop after the current job.
 */
export async function startQueueWorker<P, R>(
  url: string,
  process: DecodeProcessor<P, R>,
  options: Partial<QueueWorkerOptions> = {},
): Promise<Worker<DecodeJobData<P>, readonly R[]>> {
  const o = parseOptions('queue worker', queueWorkerOptions, options) as QueueWorkerOptions;
  const worker = new Worker<DecodeJobData<P>, readonly R[]>(
    o.queueName,
    async (job) => {
      o.onJob?.({ id: job.id ?? '?', lines: job.data.texts.length, state: 'active' });
      try {
        return await process(job.data);
      } catch (error) {
        if (error instanceof S2SError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection: { ...queueConnection(url), maxRetriesPerRequest: null },
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: 2,
      autorun: true,
    },
  );
  worker.on('completed', (job) =>
    o.onJob?.({ id: job.id ?? '?', lines: job.data.texts.length, state: 'done' }),
  );
  worker.on('failed', (job, error) =>
    o.onJob?.({
      id: job?.id ?? '?',
      lines: job?.data.texts.length ?? 0,
      state: 'failed',
      error: error.message,
    }),
  );
  // Without a listener, a lost Redis connection would crash the process; BullMQ reconnects.
  worker.on('error', (error) => o.onError?.(error));
  await worker.waitUntilReady();
  return worker;
}
