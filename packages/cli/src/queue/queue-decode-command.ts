import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { decodeOnQueue, queueWorkerCount } from '@s2s/serve';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import type { DecodeFlags } from '../decode/decode-command.js';
import { readLineGroups } from '../decode/read-lines.js';
import { writeFileAtomically } from '../files/atomic.js';
import type { SearchFlags } from '../search/search-flags.js';
import type { DecodePayload } from './decode-payload.js';
import { modelQueueName } from './model-queue.js';

/** Flags of `s2s decode --queue`. */
export interface QueueDecodeFlags extends DecodeFlags {
  readonly queue: string;
  readonly queueName?: string;
  readonly chunkSize?: number;
}

/**
 * `s2s decode <model> --queue redis://HOST:PORT [FILE]`: puts the lines on the model's
 * BullMQ queue in jobs of `--chunk-size` lines, waits for `s2s worker` processes to decode
 * them and prints the outputs in input order, exactly as `s2s decode` would. A line no
 * worker could decode is printed as an empty line (an empty record in `--nbest` and
 * `--json` output), reported on stderr with its error, and makes the run return 1 once
 * every other line is written. Returns the exit status.
 */
export async function queueDecodeCommand(
  modelPath: string,
  file: string | undefined,
  flags: QueueDecodeFlags,
  io: CliIO,
): Promise<number> {
  const queueName = flags.queueName ?? modelQueueName(modelPath, io);
  const { stream, name } = openLines(file, io);
  const texts: string[] = [];
  for await (const group of readLineGroups(stream, name, 4096))
    texts.push(...group.map((l) => l.text));
  if (texts.length === 0) {
    throw new CliError(`${name}: no input lines (it is empty); expected one input per line`);
  }
  if ((await queueWorkerCount(flags.queue, queueName)) === 0) {
    io.stderr.write(
      `s2s: no worker is on queue ${queueName} yet; the jobs wait until one starts: s2s worker ${modelPath} --queue ${flags.queue}\n`,
    );
  }
  const format = flags.json ? 'json' : (flags.nbest ?? 1) > 1 ? 'nbest' : 'text';
  const {
    json: _json,
    output: _output,
    batchSize: _batch,
    queue: _q,
    queueName: _n,
    chunkSize,
    ...rest
  } = flags;
  const search: SearchFlags = rest;
  let shown = -1;
  const { results, failed } = await decodeOnQueue<DecodePayload, string>(flags.queue, texts, {
    queueName,
    chunkSize: chunkSize ?? flags.batchSize,
    payload: { format, search },
    onProgress: (done, total) => {
      const percent = Math.floor((100 * done) / total);
      if (percent >= shown + 10 || done === total) {
        shown = percent;
        io.stderr.write(`s2s: ${done}/${total} lines done\n`);
      }
    },
  });
  const out = results.map((r) => r ?? '\n').join('');
  if (flags.output) {
    const path = resolve(io.cwd, flags.output);
    await writeFileAtomically(path, out);
    io.stderr.write(`s2s: wrote ${texts.length} outputs to ${path}\n`);
  } else {
    io.stdout.write(out);
  }
  for (const f of failed) io.stderr.write(`s2s: error: ${name}: ${f.error}\n`);
  if (failed.length > 0) {
    io.stderr.write(
      `s2s: ${failed.length} of ${texts.length} lines failed; each is an empty line in the output\n`,
    );
    return 1;
  }
  return 0;
}

function openLines(file: string | undefined, io: CliIO): { stream: Readable; name: string } {
  if (file === undefined || file === '-') return { stream: io.stdin, name: 'stdin' };
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new CliError(`input file ${file} does not exist`);
  return { stream: createReadStream(path), name: file };
}
