import { availableParallelism } from 'node:os';
import { parseOptions, type Seq2Seq } from '@s2s/core';
import { ReplicaPool } from '@s2s/core/parallel';
import { z } from 'zod';

/** How many threads a verb spreads its work over, and what each worker imports. */
export interface Parallelism {
  /** Threads in all, the main thread included; 1 runs everything in this thread. */
  readonly workers: number;
  /** The plugin modules loaded in this process, for the workers to import too. */
  readonly plugins: readonly string[];
}

/** `S2S_WORKERS` as the environment holds it: the digits of a positive integer. */
const workersVariable = z
  .string()
  .regex(/^\s*\d+\s*$/, 'expected a positive integer')
  .transform(Number)
  .pipe(z.int().positive());

/**
 * `--workers` when given, else the `S2S_WORKERS` environment variable, else this machine's
 * cores (`os.availableParallelism()`).
 */
export function workerCount(flag: number | undefined): number {
  if (flag !== undefined) return flag;
  const env = process.env.S2S_WORKERS;
  if (env === undefined || env === '') return availableParallelism();
  return parseOptions('environment', workersVariable, env, 'S2S_WORKERS');
}

/**
 * `parallel.workers` worker threads holding replicas of `model` for decoding, or undefined
 * with one thread. The main thread only reads, tokenizes, hands out batches and writes: a
 * main thread that decodes too keeps the workers waiting for their next batch while it is
 * busy (measured in `bench/`: 1.06× one thread for greedy, against 1.84× with the main
 * thread free). The caller closes the pool.
 */
export async function openPool(
  model: Seq2Seq,
  parallel: Parallelism,
): Promise<ReplicaPool | undefined> {
  return parallel.workers === 1
    ? undefined
    : ReplicaPool.start(model, { ...parallel, mainThread: false });
}
