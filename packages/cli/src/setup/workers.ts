import { availableParallelism } from 'node:os';
import type { Seq2Seq } from '@s2s/core';
import { ReplicaPool } from '@s2s/core/parallel';
import { CliError } from '../cli/errors.js';

/** How many threads a verb spreads its work over, and what each worker imports. */
export interface Parallelism {
  /** Threads in all, the main thread included; 1 runs everything in this thread. */
  readonly workers: number;
  /** The plugin modules loaded in this process, for the workers to import too. */
  readonly plugins: readonly string[];
}

/**
 * `--workers` when given, else the `S2S_WORKERS` environment variable, else this machine's
 * cores (`os.availableParallelism()`).
 */
export function workerCount(flag: number | undefined): number {
  if (flag !== undefined) return flag;
  const env = process.env.S2S_WORKERS;
  if (env === undefined || env === '') return availableParallelism();
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) {
    throw new CliError(`S2S_WORKERS must be a positive integer, got '${env}'`);
  }
  return n;
}

/**
 * Worker threads holding replicas of `model` for decoding, or undefined with one thread.
 * The caller closes the pool.
 */
export async function openPool(
  model: Seq2Seq,
  parallel: Parallelism,
): Promise<ReplicaPool | undefined> {
  return parallel.workers === 1 ? undefined : ReplicaPool.start(model, parallel);
}
