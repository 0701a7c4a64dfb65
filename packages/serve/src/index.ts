export {
  type BatcherOptions,
  batcherDefaults,
  batcherOptions,
  type DecodeBatch,
  DynamicBatcher,
} from './batching/batcher.js';
export { DrainingError, QueueFullError, RequestTimeoutError } from './batching/errors.js';
export {
  createServer,
  type DecodeRequest,
  type ServerOptions,
  serverDefaults,
  serverOptions,
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
  queueDecodeOptions,
  queueWorkerCount,
} from './queue/producer.js';
export { DEFAULT_QUEUE, queueConnection } from './queue/queue-url.js';
export {
  type QueueWorkerOptions,
  queueWorkerDefaults,
  queueWorkerOptions,
  startQueueWorker,
} from './queue/worker.js';
