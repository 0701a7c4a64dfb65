import { createServer, type ServerOptions } from '@s2s/serve';
import type { CliIO } from '../cli/io.js';
import type { SearchFlags } from '../search/search-flags.js';
import type { Parallelism } from '../setup/workers.js';
import { openServedModel } from './served-model.js';
import { stopSignal } from './stop-signal.js';

/** Flags of `s2s serve`. */
export interface ServeFlags extends SearchFlags {
  readonly host: string;
  readonly port: number;
  readonly batching: boolean;
  readonly maxBatch: number;
  readonly windowMs: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  readonly maxInputs: number;
  readonly maxInputLength: number;
  readonly maxNbest: number;
  /** Worker threads that decode (0: this thread), and what they import. */
  readonly parallel: Parallelism;
}

/**
 * `s2s serve <model>`: serves the model over HTTP (see `createServer` in `@s2s/serve`)
 * until SIGTERM or SIGINT (or `io.signal`), then stops taking requests, finishes the ones
 * in flight and returns 0.
 */
export async function serveCommand(
  modelPath: string,
  flags: ServeFlags,
  io: CliIO,
): Promise<number> {
  const model = await openServedModel(modelPath, flags, io, flags.parallel);
  const options: Partial<ServerOptions> = {
    batching: flags.batching,
    maxBatch: flags.maxBatch,
    windowMs: flags.windowMs,
    maxQueue: flags.maxQueue,
    timeoutMs: flags.timeoutMs,
    maxInputs: flags.maxInputs,
    maxInputLength: flags.maxInputLength,
    maxNbest: flags.maxNbest,
    concurrency: model.concurrency,
  };
  const app = createServer(model, options);
  try {
    const stop = stopSignal(io);
    const address = await app.listen({ host: flags.host, port: flags.port });
    const threads = flags.parallel.workers;
    const where =
      threads === 0
        ? 'decoding in the main thread'
        : `${threads} decoding thread${threads > 1 ? 's' : ''}`;
    io.stderr.write(
      `s2s: serving ${modelPath} on ${address} (${flags.batching ? `dynamic batching, up to ${flags.maxBatch} inputs a batch${flags.windowMs > 0 ? ` within a ${flags.windowMs} ms window` : ''}, ${model.concurrency} batch${model.concurrency > 1 ? 'es' : ''} at once` : 'one request at a time'}; ${where})\n`,
    );
    const signal = await stop;
    io.stderr.write(`s2s: ${signal}: finishing the requests in flight, then stopping\n`);
    await app.close();
    io.stderr.write('s2s: stopped\n');
    return 0;
  } finally {
    await app.close();
    await model.close();
  }
}
