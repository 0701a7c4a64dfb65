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
