import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { DecodedText } from '@s2s/core';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { writeFileAtomically } from '../files/atomic.js';
import { openModel, withOrigins } from '../model/open-model.js';
import { chooseSearch, type SearchFlags } from '../search/search-flags.js';
import { openPool, type Parallelism } from '../setup/workers.js';
import { formatDecoded, type OutputFormat } from './format-output.js';
import { type InputLine, readLineGroups } from './read-lines.js';

/** Flags of `s2s decode`. */
export interface DecodeFlags extends SearchFlags {
  readonly json?: boolean;
  readonly output?: string;
  readonly batchSize: number;
  readonly parallel: Parallelism;
}

/**
 * `s2s decode <model> [FILE]`: decodes each line of FILE (or stdin) and writes one output
 * per line to stdout, or atomically to `--output`. A WAV FILE (a RIFF/WAVE header) is one
 * input, its path, as a task whose inputs are files (speech) reads it:
 * `s2s decode runs/speech clip.wav`. No input at all is an error, never an empty success.
 */
export async function decodeCommand(
  modelPath: string,
  file: string | undefined,
  flags: DecodeFlags,
  io: CliIO,
): Promise<void> {
  const input = openInput(file, io);
  const { model } = await openModel(resolve(io.cwd, modelPath), modelPath, io);
  let pool: Awaited<ReturnType<typeof openPool>>;
  try {
    const search = chooseSearch(model.settings.search, flags).settings;
    pool = await openPool(model.model, flags.parallel);
    const format: OutputFormat = flags.json ? 'json' : (flags.nbest ?? 1) > 1 ? 'nbest' : 'text';
    const collected: string[] = [];
    const emit = (text: string) => (flags.output ? collected.push(text) : io.stdout.write(text));
    // Someone typing at a terminal wants each line answered as it is entered.
    const interactive = (input.stream as { isTTY?: boolean }).isTTY === true;
    const size = interactive ? 1 : flags.batchSize;
    let index = 0;
    const decodeGroup = async (group: InputLine[], spread: 'rows' | 'batches') => {
      for (const line of group) {
        if (line.text.trim() === '') throw new CliError(`${line.origin}: empty input line`);
      }
      return withOrigins(
        group.map((line) => line.origin),
        () =>
          model.decode(
            group.map((line) => line.text),
            {
              search,
              alignments: format === 'json',
              batchSize: group.length,
              ...(pool ? { pool, spread } : {}),
            },
          ),
      );
    };
    const groups = readLineGroups(input.stream, input.name, size);
    if (!pool || interactive) {
      for await (const group of groups) {
        for (const d of await decodeGroup(group, 'rows')) emit(formatDecoded(d, ++index, format));
      }
    } else {
      // Whole batches to the pool's free threads, a few more in flight than it has threads,
      // written in input order; an input that makes a single batch has its rows split.
      const running: Promise<DecodedText[]>[] = [];
      const lines = groups[Symbol.asyncIterator]();
      let next = await lines.next();
      try {
        while (!next.done) {
          const group = next.value;
          next = await lines.next();
          const alone = next.done === true && running.length === 0 && index === 0;
          const decoding = decodeGroup(group, alone ? 'rows' : 'batches');
          decoding.catch(() => {}); // awaited below, in order
          running.push(decoding);
          while (running.length > (next.done ? 0 : pool.size * 2)) {
            for (const d of await running.shift()!) emit(formatDecoded(d, ++index, format));
          }
        }
      } catch (error) {
        await Promise.allSettled(running);
        throw error;
      }
    }
    if (index === 0) {
      throw new CliError(
        `${input.name}: no input lines (it is empty); expected one input per line`,
      );
    }
    if (flags.output) {
      const path = resolve(io.cwd, flags.output);
      await writeFileAtomically(path, collected.join(''));
      io.stderr.write(`s2s: wrote ${index} outputs to ${path}\n`);
    }
  } finally {
    await pool?.close();
    model.dispose();
  }
}

function openInput(file: string | undefined, io: CliIO): { stream: Readable; name: string } {
  if (file === undefined || file === '-') return { stream: io.stdin, name: 'stdin' };
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new CliError(`input file ${file} does not exist`);
  if (statSync(path).isDirectory())
    throw new CliError(`input ${file} is a folder; expected a file of lines`);
  if (isWav(path)) return { stream: Readable.from([`${path}\n`]), name: file };
  return { stream: createReadStream(path), name: file };
}

/**
 * Whether the file is a WAV recording (a RIFF/WAVE header). Only that: any other file,
 * even one with a NUL byte, is read as lines of text.
 */
function isWav(path: string): boolean {
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return (
      n === 12 &&
      ['RIFF', 'RIFX', 'RF64'].includes(head.toString('latin1', 0, 4)) &&
      head.toString('latin1', 8, 12) === 'WAVE'
    );
  } finally {
    closeSync(fd);
  }
}
