/**
 * Data parallelism over Node.js worker threads: a {@link ReplicaPool} of model replicas
 * that computes a batch's gradients or searches a batch of sources, split by rows. Node
 * only (it starts `worker_threads`). `Trainer({ workers })` uses it for you.
 * Import from `@s2s/core/parallel`.
 *
 * @module
 */
export type { WorkerMemory } from './protocol.js';
export {
  type ParallelGradients,
  ReplicaPool,
  type ReplicaPoolOptions,
  splitRows,
} from './replica-pool.js';
export { threadMemory } from './thread-memory.js';
