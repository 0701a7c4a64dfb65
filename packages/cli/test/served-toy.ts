import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, toyFlags, toyWorkspace } from './harness.js';

/**
 * {@link toyWorkspace} with a model trained long enough (15 epochs, about 15 s) to write
 * real, differing outputs, so that comparing two ways of decoding compares something; and
 * `inputs.txt`, the inputs of `test.tsv`, one per line.
 */
export async function servedToyWorkspace(): Promise<{
  dir: string;
  inputs: string[];
  cleanup: () => Promise<void>;
}> {
  const ws = await toyWorkspace();
  const args = ['train', 'toy-reverse', '--data', 'train.tsv', '--out', 'run', '--epochs', '15'];
  const trained = await runCli([...args, ...toyFlags], { cwd: ws.dir });
  if (trained.status !== 0) throw new Error(`training the toy model failed: ${trained.stderr}`);
  const inputs = readFileSync(join(ws.dir, 'test.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t')[0]!);
  writeFileSync(join(ws.dir, 'inputs.txt'), `${inputs.join('\n')}\n`);
  return { ...ws, inputs };
}

/** How many distinct non-empty lines `text` has: a decode worth comparing has many. */
export function distinctOutputs(text: string): number {
  return new Set(text.split('\n').filter((line) => line !== '')).size;
}
