import { parseOptions, S2SError, WorkerError } from '@s2s/core';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type BatcherOptions, batcherOptions, DynamicBatcher } from '../batching/batcher.js';
import { DrainingError, QueueFullError, RequestTimeoutError } from '../batching/errors.js';
import type { ServableModel } from '../model/servable-model.js';

/** Settings of {@link createServer}: the batcher's, per-request limits, and batching on or off. */
export interface ServerOptions extends BatcherOptions {
  /**
   * Decode requests together (dynamic batching, up to `concurrency` batches at once), or
   * strictly one request per decode call and one call at a time.
   */
  readonly batching: boolean;
  /** Most texts in one request. */
  readonly maxInputs: number;
  /** Longest text, in characters (UTF-16 code units). */
  readonly maxInputLength: number;
  /** Largest `nbest` a request may ask for. */
  readonly maxNbest: number;
}

/** {@link ServerOptions} as a zod schema, with the defaults. */
export const serverOptions = batcherOptions.extend({
  batching: z.boolean().default(true).describe('Decode requests together (dynamic batching)'),
  maxInputs: z.int().positive().default(64).describe('Most texts in one request'),
  maxInputLength: z
    .int()
    .positive()
    .default(1000)
    .describe('Longest text, in characters (UTF-16 code units)'),
  maxNbest: z.int().positive().default(8).describe('Largest nbest a request may ask for'),
});

/** The defaults of {@link ServerOptions}. */
export const serverDefaults: ServerOptions = serverOptions.parse({});

/** Body of `POST /v1/decode`. */
export interface DecodeRequest {
  readonly texts: readonly string[];
  readonly nbest?: number;
  readonly alignments?: boolean;
}

/**
 * An HTTP JSON API over a model, on fastify:
 *
 * - `POST /v1/decode` `{ texts, nbest?, alignments? }` → `{ results: [{ input, hypotheses:
 *   [{ text, score, alignment? }] }] }`, decoded with dynamic batching;
 * - `GET /v1/model` → the model's `info()` and the server's limits and counters;
 * - `GET /health` → 200 while the process runs; `GET /ready` → 200 when it takes requests,
 *   503 while its queue is full or it is shutting down.
 *
 * Errors answer `{ error: { code, message } }`: 400 for a request outside the limits (the
 * message names the field and the limit) or an input the model rejects, 503 with
 * `Retry-After` when the queue is full, 504 past the time limit. `close()` answers 503 to
 * new requests, finishes the ones in flight, then resolves.
 */
export function createServer(
  model: ServableModel,
  options: Partial<ServerOptions> = {},
): FastifyInstance {
  const o = parseOptions('server', serverOptions, options);
  const batcher = new DynamicBatcher((texts, decodeOptions) => model.decode(texts, decodeOptions), {
    maxBatch: o.batching ? o.maxBatch : 1,
    windowMs: o.batching ? o.windowMs : 0,
    maxQueue: o.maxQueue,
    timeoutMs: o.timeoutMs,
    concurrency: o.batching ? o.concurrency : 1,
  });
  const app = Fastify({
    logger: false,
    return503OnClosing: true,
    // A client that sends its body slower than the decode time limit is cut off.
    requestTimeout: o.timeoutMs > 0 ? o.timeoutMs + 5000 : 0,
    bodyLimit: 1024 + o.maxInputs * (o.maxInputLength * 6 + 8),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  let closing = false;

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) return reply.code(400).send(problem('bad-request', error.message));
    if (error instanceof QueueFullError) {
      return reply
        .code(503)
        .header('retry-after', String(error.retryAfterSeconds))
        .send(problem('queue-full', error.message));
    }
    if (error instanceof DrainingError) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(problem('shutting-down', error.message));
    }
    if (error instanceof RequestTimeoutError) {
      return reply.code(504).send(problem('timeout', error.message));
    }
    // A decoding thread that failed is the server's fault, not the input's.
    if (error instanceof WorkerError)
      return reply.code(500).send(problem('internal', error.message));
    // The model's typed errors are about the input: too long, unknown symbols, empty.
    if (error instanceof S2SError) return reply.code(400).send(problem('bad-input', error.message));
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send(problem('bad-request', error.message));
    }
    return reply.code(500).send(problem('internal', error.message));
  });

  app.post<{ Body: DecodeRequest }>(
    '/v1/decode',
    {
      schema: {
        body: {
          type: 'object',
          required: ['texts'],
          additionalProperties: false,
          properties: {
            texts: {
              type: 'array',
              minItems: 1,
              maxItems: o.maxInputs,
              items: { type: 'string', minLength: 1, maxLength: o.maxInputLength },
            },
            nbest: { type: 'integer', minimum: 1, maximum: o.maxNbest },
            alignments: { type: 'boolean' },
          },
        },
      },
    },
    async (request) => {
      const { texts, nbest, alignments } = request.body;
      const blank = texts.findIndex((t) => t.trim() === '');
      if (blank >= 0) {
        throw Object.assign(new Error(`body/texts/${blank} is blank; expected text to decode`), {
          statusCode: 400,
        });
      }
      const results = await batcher.submit(texts, {
        ...(nbest !== undefined ? { nbest } : {}),
        ...(alignments !== undefined ? { alignments } : {}),
      });
      return { results };
    },
  );

  app.get('/v1/model', async () => ({
    ...model.info(),
    server: {
      batching: o.batching,
      maxBatch: batcher.options.maxBatch,
      windowMs: batcher.options.windowMs,
      concurrency: batcher.options.concurrency,
      maxQueue: o.maxQueue,
      timeoutMs: o.timeoutMs,
      maxInputs: o.maxInputs,
      maxInputLength: o.maxInputLength,
      maxNbest: o.maxNbest,
      counts: { ...batcher.stats, waiting: batcher.waiting },
    },
  }));

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    if (closing) return reply.code(503).send({ ready: false, reason: 'shutting down' });
    if (batcher.full) {
      return reply
        .code(503)
        .header('retry-after', String(batcher.retryAfterSeconds()))
        .send({ ready: false, reason: 'queue full' });
    }
    return { ready: true };
  });

  // Drain before fastify waits for the requests in flight: they wait on the batcher, so
  // a batch still inside its window must be sent now, not when the window ends.
  app.addHook('preClose', async () => {
    closing = true;
    await batcher.drain();
  });
  return app;
}

function problem(code: string, message: string) {
  return { error: { code, message } };
}
