/**
 * Data parallelism over Node.js worker threads: a {@link ReplicaPool} of model replicas
 * that computes a batch's gradients split by rows, and searches batches: one split by rows,
 * or several each whole on the next free thread. Node only (it starts `worker_threads`). `Trainer({ workers })` uses it for you.
 * Import from `@s2s/core/parallel`.
 *
 * @module
 */
export type { WorkerMemory } from './protocol.js';
export {
  type ParallelGradients,
  ReplicaPool,
  type ReplicaPoolOptions,
  replicaPoolOptions,
  splitRows,
} from './replica-pool.js';
export { threadMemory } from './thread-memory.js';
