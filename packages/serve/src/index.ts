export {
  type BatcherOptions,
  batcherDefaults,
  type DecodeBatch,
  DynamicBatcher,
} from './batching/batcher.js';
export { DrainingError, QueueFullError, RequestTimeoutError } from './batching/errors.js';
export {
  createServer,
  type DecodeRequest,
  type ServerOptions,
  serverDefaults,
} from './http/server.js';
export type {
  DecodedHypothesis,
  DecodeOptions,
  DecodeResult,
  ServableModel,
} from './model/servable-model.js';
export type { DecodeJobData, DecodeProcessor } from './queue/job.js';
export {
  decodeOnQueue,
  type FailedLine,
  type QueueDecodeOptions,
  type QueueDecodeResult,
  queueWorkerCount,
} from './queue/producer.js';
export { DEFAULT_QUEUE, queueConnection } from './queue/queue-url.js';
export { type QueueWorkerOptions, queueWorkerDefaults, startQueueWorker } from './queue/worker.js';
