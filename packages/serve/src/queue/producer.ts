import { randomUUID } from 'node:crypto';
import { parseOptions } from '@s2s/core';
import { Queue, QueueEvents } from 'bullmq';
import { z } from 'zod';
import type { DecodeJobData } from './job.js';
import { DEFAULT_QUEUE, queueConnection } from './queue-url.js';

/** Settings of {@link decodeOnQueue}. */
export interface QueueDecodeOptions<P> {
  readonly queueName: string;
  /** Lines per job: larger jobs batch better, smaller ones spread better over workers. */
  readonly chunkSize: number;
  /** Tries of a job that fails with an unexpected error (a bad input is not retried). */
  readonly attempts: number;
  /** Decode settings passed to every job's processor. */
  readonly payload: P;
  /** Called whenever a job finishes: lines done (decoded or failed) out of all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** {@link QueueDecodeOptions} as a zod schema, with the defaults. */
export const queueDecodeOptions = z.strictObject({
  queueName: z.string().min(1).default(DEFAULT_QUEUE).describe('The BullMQ queue'),
  chunkSize: z.int().positive().default(32).describe('Lines per job'),
  attempts: z.int().positive().default(3).describe('Tries of a job that fails unexpectedly'),
  payload: z.unknown().describe("Decode settings passed to every job's processor"),
  onProgress: z
    .custom<(done: number, total: number) => void>((v) => typeof v === 'function')
    .optional()
    .describe('Called whenever a job finishes'),
});

/** A line that could not be decoded, and why. */
export interface FailedLine {
  /** 0-based index in the input. */
  readonly index: number;
  readonly error: string;
}

/** What {@link decodeOnQueue} returns: a result for each line, or its failure. */
export interface QueueDecodeResult<R> {
  /** In input order; `undefined` where the line failed. */
  readonly results: readonly (R | undefined)[];
  readonly failed: readonly FailedLine[];
}

/**
 * Decodes `texts` on the BullMQ queue at `url`: splits them into jobs of `chunkSize` lines,
 * waits for workers (`s2s worker`, any number, on any machine) to finish them, and returns
 * the results in input order. When a job fails, its lines are queued again one per job, so
 * a bad line fails alone, with its error recorded, and every other line is still decoded.
 */
export async function decodeOnQueue<P, R>(
  url: string,
  texts: readonly string[],
  options: Partial<QueueDecodeOptions<P>> & { payload: P },
): Promise<QueueDecodeResult<R>> {
  const o = parseOptions('decodeOnQueue', queueDecodeOptions, options) as QueueDecodeOptions<P>;
  const connection = queueConnection(url);
  const queue = new Queue<DecodeJobData<P>, readonly R[]>(o.queueName, { connection });
  const events = new QueueEvents(o.queueName, { connection });
  const results: (R | undefined)[] = Array.from({ length: texts.length }, () => undefined);
  const failed: FailedLine[] = [];
  const run = randomUUID();
  /** Jobs not finished yet, by id. */
  const pending = new Map<string, DecodeJobData<P>>();
  let done = 0;
  let sweeper: NodeJS.Timeout | undefined;
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const finished = new Promise<void>((resolve, reject) => {
      const settle = () => {
        o.onProgress?.(done, texts.length);
        if (pending.size === 0) resolve();
      };
      const onCompleted = (jobId: string, returnvalue: unknown) => {
        const data = pending.get(jobId);
        if (!data) return;
        pending.delete(jobId);
        const values = returnvalue as unknown as readonly R[];
        data.texts.forEach((_, i) => {
          results[data.start + i] = values[i];
        });
        done += data.texts.length;
        settle();
      };
      const onFailed = (jobId: string, failedReason: string) => {
        const data = pending.get(jobId);
        if (!data) return;
        pending.delete(jobId);
        if (data.texts.length === 1) {
          failed.push({ index: data.start, error: failedReason });
          done += 1;
          settle();
          return;
        }
        // Find the bad lines: each line of the failed job becomes a job of its own.
        const singles = data.texts.map((text, i) => ({
          start: data.start + i,
          texts: [text],
          payload: data.payload,
        }));
        add(singles).catch(reject);
      };
      events.on('completed', ({ jobId, returnvalue }) => onCompleted(jobId, returnvalue));
      events.on('failed', ({ jobId, failedReason }) => onFailed(jobId, failedReason));
      events.on('error', reject);
      // A safety net under the events: one that fires before the event reader's first read
      // is never delivered, so every second the jobs still pending are looked up by id.
      sweeper = setInterval(() => {
        void (async () => {
          for (const id of [...pending.keys()]) {
            const job = await queue.getJob(id);
            const state = job ? await job.getState() : undefined;
            if (state === 'completed') onCompleted(id, job!.returnvalue);
            else if (state === 'failed') onFailed(id, job!.failedReason);
          }
        })().catch(reject);
      }, 1000);
    });
    const add = async (jobs: readonly DecodeJobData<P>[]) => {
      const named = jobs.map((data) => ({ id: `${run}:${data.start}:${data.texts.length}`, data }));
      for (const { id, data } of named) pending.set(id, data);
      await queue.addBulk(
        named.map(({ id, data }) => ({
          name: 'decode',
          data,
          opts: {
            jobId: id,
            attempts: o.attempts,
            backoff: { type: 'exponential', delay: 500 },
            removeOnComplete: { age: 3600 },
            removeOnFail: { age: 24 * 3600 },
          },
        })),
      );
    };
    const jobs: DecodeJobData<P>[] = [];
    for (let start = 0; start < texts.length; start += o.chunkSize) {
      jobs.push({ start, texts: texts.slice(start, start + o.chunkSize), payload: o.payload });
    }
    if (jobs.length === 0) return { results, failed };
    await add(jobs);
    await finished;
    failed.sort((a, b) => a.index - b.index);
    return { results, failed };
  } finally {
    clearInterval(sweeper);
    await Promise.allSettled([events.close(), queue.close()]);
  }
}

/** How many workers are connected to the queue now (BullMQ names their connections). */
export async function queueWorkerCount(url: string, queueName = DEFAULT_QUEUE): Promise<number> {
  const queue = new Queue(queueName, { connection: queueConnection(url) });
  try {
    return await queue.getWorkersCount();
  } finally {
    await queue.close();
  }
}
