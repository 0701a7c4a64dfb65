import { createServer, type ServerOptions } from '@s2s/serve';
import type { CliIO } from '../cli/io.js';
import type { SearchFlags } from '../search/search-flags.js';
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
  const model = await openServedModel(modelPath, flags, io);
  const options: Partial<ServerOptions> = {
    batching: flags.batching,
    maxBatch: flags.maxBatch,
    windowMs: flags.windowMs,
    maxQueue: flags.maxQueue,
    timeoutMs: flags.timeoutMs,
    maxInputs: flags.maxInputs,
    maxInputLength: flags.maxInputLength,
    maxNbest: flags.maxNbest,
  };
  const app = createServer(model, options);
  try {
    const stop = stopSignal(io);
    const address = await app.listen({ host: flags.host, port: flags.port });
    io.stderr.write(
      `s2s: serving ${modelPath} on ${address} (${flags.batching ? `dynamic batching, up to ${flags.maxBatch} inputs per ${flags.windowMs} ms window` : 'one request at a time'})\n`,
    );
    const signal = await stop;
    io.stderr.write(`s2s: ${signal}: finishing the requests in flight, then stopping\n`);
    await app.close();
    io.stderr.write('s2s: stopped\n');
    return 0;
  } finally {
    await app.close();
    model.dispose();
  }
}
