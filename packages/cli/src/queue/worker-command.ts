import { startQueueWorker } from '@s2s/serve';
import type { CliIO } from '../cli/io.js';
import { openServedModel } from '../serve/served-model.js';
import { stopSignal } from '../serve/stop-signal.js';
import type { DecodePayload } from './decode-payload.js';
import { modelQueueName } from './model-queue.js';

/** Flags of `s2s worker`. */
export interface WorkerFlags {
  readonly queue: string;
  readonly queueName?: string;
  readonly concurrency: number;
  readonly lockMs: number;
  readonly stalledMs: number;
}

/**
 * `s2s worker <model> --queue redis://HOST:PORT`: decodes the jobs that `s2s decode <model>
 * --queue` puts on the model's queue, until SIGTERM or SIGINT (or `io.signal`); then it
 * finishes the job in hand and returns 0. Start as many as you like, on any machines that
 * reach the Redis server and have the model.
 */
export async function workerCommand(
  modelPath: string,
  flags: WorkerFlags,
  io: CliIO,
): Promise<number> {
  const queueName = flags.queueName ?? modelQueueName(modelPath, io);
  const model = await openServedModel(modelPath, {}, io);
  try {
    const worker = await startQueueWorker<DecodePayload, string>(
      flags.queue,
      async (job) => {
        // A rejected input or flag fails with a typed error: the job is not retried.
        return model.decodeFormatted(
          job.texts,
          job.start + 1,
          job.payload.format,
          job.payload.search,
        );
      },
      {
        queueName,
        concurrency: flags.concurrency,
        lockDurationMs: flags.lockMs,
        stalledIntervalMs: flags.stalledMs,
        onJob: ({ id, lines, state, error }) =>
          io.stderr.write(`s2s: job ${id} (${lines} lines) ${state}${error ? `: ${error}` : ''}\n`),
        onError: (error) => io.stderr.write(`s2s: queue connection: ${error.message}\n`),
      },
    );
    io.stderr.write(`s2s: worker ready on queue ${queueName} at ${flags.queue}\n`);
    const signal = await stopSignal(io);
    io.stderr.write(`s2s: ${signal}: finishing the job in hand, then stopping\n`);
    await worker.close();
    return 0;
  } finally {
    await model.close();
  }
}
