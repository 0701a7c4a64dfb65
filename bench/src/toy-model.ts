import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `s2s` command of this repository. */
export const s2s = fileURLToPath(new URL('../../packages/cli/bin/s2s.js', import.meta.url));
/** The module that registers the toy-reverse task, for `--plugin`. */
export const toyPlugin = fileURLToPath(
  new URL('../../packages/cli/dist/testing/index.js', import.meta.url),
);

/**
 * Trains the toy-reverse model (`@s2s/cli/testing`) in `dir` on 400 random digit strings,
 * with an LSTM encoder and attentional decoder of `hidden` units; returns its run folder.
 */
export function trainToy(
  dir: string,
  options: { hidden: number; epochs: number; backend: string },
): string {
  const digits = randomDigits(400, 3);
  writeFileSync(
    join(dir, 'train.tsv'),
    digits.map((d) => `${d}\t${[...d].reverse().join('')}\n`).join(''),
  );
  const { hidden } = options;
  const layer = { embeddingSize: 64, hiddenSize: hidden };
  const model = {
    seed: 1,
    encoder: { name: 'lstm', ...layer },
    decoder: { name: 'attentional', ...layer, attention: { name: 'bahdanau', size: hidden } },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model }));
  process.stderr.write(`bench: training the toy-reverse model (hidden ${hidden}) in ${dir}\n`);
  const flags = ['--epochs', String(options.epochs), '--plugin', toyPlugin];
  execFileSync(
    s2s,
    ['train', 'toy-reverse', '--data', 'train.tsv', '--config', 'config.json', '--out', 'run']
      .concat(flags)
      .concat(['--backend', options.backend]),
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return join(dir, 'run');
}

/** `count` strings of 2–8 random digits from a seeded generator (an LCG: no dependency). */
export function randomDigits(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 2 + Math.floor(next() * 7) }, () => String(Math.floor(next() * 10))).join(
      '',
    ),
  );
}
