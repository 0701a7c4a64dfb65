import { type Command, InvalidArgumentError } from 'commander';
import type { CliIO } from './io.js';
import { positiveInteger } from './parsers.js';
import { type CommonFlags, common, searchOptions } from './program.js';

/**
 * The verbs of `@s2s/serve`: `serve` (HTTP with dynamic batching), `worker` (decodes jobs
 * from a BullMQ queue), and the `--queue` options of `decode`, which `createProgram` has
 * already defined.
 */
export function queueVerbs(
  program: Command,
  io: CliIO,
  result: { status: number },
  prepare: (
    flags: CommonFlags & { readonly workers?: number },
    io: CliIO,
  ) => Promise<{ workers: number; plugins: string[] }>,
): void {
  program.commands
    .find((c) => c.name() === 'decode')
    ?.option(
      '--queue <url>',
      'decode on a BullMQ job queue at redis://HOST:PORT, by "s2s worker" processes on any machines',
    )
    .option(
      '--queue-name <name>',
      "with --queue: the queue's name (default: s2s-decode- and a digest of the model)",
    )
    .option(
      '--chunk-size <n>',
      'with --queue: lines per job (default: --batch-size)',
      positiveInteger,
    );

  searchOptions(
    common(
      program
        .command('serve')
        .summary('serve a model over HTTP, with dynamic batching')
        .description(
          'POST /v1/decode {"texts": [...], "nbest"?, "alignments"?}; GET /v1/model, /health, /ready. SIGTERM or Ctrl-C finishes the requests in flight and exits 0. The search flags set the default search.',
        )
        .argument('<model>', 'model folder, or the run folder "s2s train" wrote')
        .option('--host <host>', 'address to listen on', '127.0.0.1')
        .option('--port <n>', 'port to listen on (0: any free one)', nonNegativeInteger, 8080)
        .option('--no-batching', 'decode one request at a time instead of batching them')
        .option('--max-batch <n>', 'most inputs decoded in one call', positiveInteger, 32)
        .option(
          '--window-ms <ms>',
          'how long the first waiting request holds a batch open for others (0: a batch goes as soon as a decoding thread is free)',
          nonNegativeInteger,
          0,
        )
        .option(
          '--max-queue <n>',
          'most requests waiting; more are answered 503 with Retry-After',
          positiveInteger,
          256,
        )
        .option(
          '--timeout-ms <ms>',
          'time limit of a request, from arrival to answer (0: none); past it, 504',
          nonNegativeInteger,
          30_000,
        )
        .option('--max-inputs <n>', 'most texts in one request', positiveInteger, 64)
        .option('--max-input-length <n>', 'longest text, in characters', positiveInteger, 1000)
        .option('--max-nbest <n>', 'largest nbest a request may ask for', positiveInteger, 8)
        .option(
          '--workers <n>',
          "worker threads that decode, each a batch at a time, while this thread serves HTTP (0: decode in this thread; default: $S2S_WORKERS, else the machine's cores)",
          nonNegativeInteger,
        ),
    ),
    { nbest: false },
  ).action(async (model: string, flags) => {
    const parallel = await prepare(flags, io);
    const { serveCommand } = await import('../serve/serve-command.js');
    result.status = await serveCommand(model, { ...flags, parallel }, io);
  });

  common(
    program
      .command('worker')
      .summary('decode the jobs "s2s decode --queue" puts on a BullMQ queue')
      .description(
        'Runs until SIGTERM or Ctrl-C, then finishes the job in hand. Start any number, on any machines that reach the Redis server and have the model; a worker that dies loses nothing: its job is taken back and decoded again.',
      )
      .argument('<model>', 'model folder, or the run folder "s2s train" wrote')
      .requiredOption('--queue <url>', 'the BullMQ queue at redis://HOST:PORT (required)')
      .option(
        '--queue-name <name>',
        "the queue's name (default: s2s-decode- and a digest of the model)",
      )
      .option('--concurrency <n>', 'jobs decoded at once', positiveInteger, 1)
      .option(
        '--lock-ms <ms>',
        "how long a job stays locked to this worker without renewal; a dead worker's job is taken back after this",
        positiveInteger,
        30_000,
      )
      .option(
        '--stalled-ms <ms>',
        'how often to look for jobs whose worker died',
        positiveInteger,
        30_000,
      ),
  ).action(async (model: string, flags) => {
    await prepare(flags, io);
    const { workerCommand } = await import('../queue/worker-command.js');
    result.status = await workerCommand(model, flags, io);
  });
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'`);
  return n;
}
