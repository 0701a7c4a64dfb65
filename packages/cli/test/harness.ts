import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../src/index.js';
import { writeToyData } from '../src/testing/toy-task.js';

/** The toy task's module, loaded with `--plugin` as a third-party task would be. */
export const toyPlugin = fileURLToPath(new URL('../src/testing/index.ts', import.meta.url));

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd`, with `stdin` as its input. */
export async function runCli(
  argv: readonly string[],
  options: { cwd: string; stdin?: string; signal?: AbortSignal; stderrIsTTY?: boolean },
): Promise<CliRun> {
  const stdout = collect();
  const stderr = collect();
  if (options.stderrIsTTY) Object.assign(stderr.stream, { isTTY: true, columns: 120 });
  const status = await run(argv, {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    cwd: options.cwd,
    handleSigint: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** The flags that pick the toy task's plugin and the fast backend. */
export const toyFlags = ['--plugin', toyPlugin, '--backend', 'wasm'];

/**
 * A temporary folder with toy data: `train.tsv`, 96 strings of 2–5 digits (86 to train on
 * in 6 batches of at most 16, 10 held out), and `test.tsv`, 20 more.
 */
export async function toyWorkspace(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 's2s-cli-'));
  await writeToyData(join(dir, 'train.tsv'), { count: 96, seed: 1, minLength: 2, maxLength: 5 });
  await writeToyData(join(dir, 'test.tsv'), { count: 20, seed: 2, minLength: 2, maxLength: 5 });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** {@link toyWorkspace} with a model trained for one epoch in its run folder `run`. */
export async function trainedToyWorkspace(): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const ws = await toyWorkspace();
  const args = ['train', 'toy-reverse', '--data', 'train.tsv', '--out', 'run', '--epochs', '1'];
  const trained = await runCli([...args, ...toyFlags], { cwd: ws.dir });
  if (trained.status !== 0) throw new Error(`training the toy model failed: ${trained.stderr}`);
  return ws;
}
