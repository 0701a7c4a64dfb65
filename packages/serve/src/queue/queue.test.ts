import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { S2SError } from '@s2s/core';
import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reversed } from '../testing/fake-model.js';
import { startRedisServer, type TestRedis } from '../testing/redis-server.js';
import type { DecodeJobData } from './job.js';
import { decodeOnQueue } from './producer.js';
import { startQueueWorker } from './worker.js';

let redis: TestRedis;
let workers: Worker[] = [];
let children: ChildProcess[] = [];
let queueNumber = 0;
/** A fresh queue name per test, so no test sees another's jobs. */
const freshQueue = () => `test-${process.pid}-${++queueNumber}`;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.close()));
  workers = [];
  children = [];
});

const lines = Array.from({ length: 23 }, (_, i) => `line ${i} ${'x'.repeat(i % 5)}`);

/** An in-process worker that reverses each line; `seen` collects the jobs it decoded. */
async function reversingWorker(queueName: string, seen: DecodeJobData<unknown>[] = []) {
  const worker = await startQueueWorker<unknown, string>(
    redis.url,
    async (job) => {
      seen.push(job);
      // Decoding takes time; yielding here lets the other worker take the next job.
      await new Promise((done) => setTimeout(done, 20));
      if (job.texts.includes('poison')) throw new S2SError('cannot decode a poison line');
      return job.texts.map(reversed);
    },
    { queueName, lockDurationMs: 1000, stalledIntervalMs: 500 },
  );
  workers.push(worker);
  return seen;
}

describe('decoding on a BullMQ queue', () => {
  it('returns every line decoded, in input order, whatever order the jobs finish in', async () => {
    const queueName = freshQueue();
    await reversingWorker(queueName);
    const progress: number[] = [];
    const { results, failed } = await decodeOnQueue<unknown, string>(redis.url, lines, {
      queueName,
      chunkSize: 5,
      payload: {},
      onProgress: (done) => progress.push(done),
    });
    expect(failed).toEqual([]);
    expect(results).toEqual(lines.map(reversed));
    expect(progress.at(-1)).toBe(lines.length);
  });

  it('two workers share the load', async () => {
    const queueName = freshQueue();
    const [a, b] = [await reversingWorker(queueName), await reversingWorker(queueName)];
    const { results } = await decodeOnQueue<unknown, string>(redis.url, lines, {
      queueName,
      chunkSize: 2,
      payload: {},
    });
    expect(results).toEqual(lines.map(reversed));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.length + b.length).toBe(Math.ceil(lines.length / 2));
  });

  it('a poison line fails alone, its error recorded; every other line is decoded', async () => {
    const queueName = freshQueue();
    const seen = await reversingWorker(queueName);
    const input = ['ab', 'cd', 'poison', 'ef', 'gh', 'ij'];
    const { results, failed } = await decodeOnQueue<unknown, string>(redis.url, input, {
      queueName,
      chunkSize: 4,
      payload: {},
    });
    expect(failed).toEqual([{ index: 2, error: 'cannot decode a poison line' }]);
    expect(results.map((r) => r ?? null)).toEqual(['ba', 'dc', null, 'fe', 'hg', 'ji']);
    // A bad input is not retried: the failed job once, then its lines one by one.
    expect(seen.filter((job) => job.texts.includes('poison')).map((j) => j.texts)).toEqual([
      ['ab', 'cd', 'poison', 'ef'],
      ['poison'],
    ]);
  });

  it('a worker killed with SIGKILL in the middle of a job loses nothing: another decodes it', async () => {
    const queueName = freshQueue();
    const main = fileURLToPath(new URL('../../dist/testing/fake-worker-main.js', import.meta.url));
    const doomed = spawn(process.execPath, [main, redis.url, queueName, '600000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(doomed);
    let said = '';
    const took = new Promise<string>((resolve) =>
      doomed.stdout!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        const match = /took (\S+)/.exec(said);
        if (match) resolve(match[1]!);
      }),
    );
    await new Promise<void>((ready) =>
      doomed.stdout!.on('data', () => said.includes('ready') && ready()),
    );
    const decoding = decodeOnQueue<unknown, string>(redis.url, lines, {
      queueName,
      chunkSize: 8,
      payload: {},
    });
    const jobId = await took;
    doomed.kill('SIGKILL');
    await new Promise((done) => doomed.once('exit', done));
    const seen = await reversingWorker(queueName);
    const { results, failed } = await decoding;
    expect(failed).toEqual([]);
    expect(results).toEqual(lines.map(reversed));
    // The job the killed worker held was decoded again by the survivor.
    expect(seen.map((job) => `${job.start}:${job.texts.length}`)).toContain(
      jobId.split(':').slice(1).join(':'),
    );
  });
});
