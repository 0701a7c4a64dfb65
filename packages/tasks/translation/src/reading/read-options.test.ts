import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskExample } from '@s2s/core';
import { readLines } from '@s2s/data/node';
import { afterAll, describe, expect, it } from 'vitest';
import { translationTask } from '../translation-task.js';

const dir = mkdtempSync(join(tmpdir(), 's2s-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'pairs.tsv');
// Lines 1 and 3 fit maxWords = 3 on both sides; line 2's English has 4 words, line 4's
// French has 4.
writeFileSync(
  file,
  [
    'Go now.\tVa.',
    'I am very tired.\tJe suis fatigué.',
    'Hi.\tSalut.',
    'Run!\tCours vite, très vite !',
    '',
  ].join('\n'),
);
const settings = { ...translationTask.defaults, data: { maxWords: 3 } };

async function read(options?: Parameters<typeof translationTask.read>[2]): Promise<TaskExample[]> {
  const out: TaskExample[] = [];
  for await (const e of translationTask.read(file, settings, { readLines, ...options })) {
    out.push(e);
  }
  return out;
}

describe('reading translation pairs', () => {
  it('leaves out pairs over data.maxWords and says which and why', async () => {
    const skipped: [string, string][] = [];
    const kept = await read({ onSkip: (origin, reason) => skipped.push([origin, reason]) });
    expect(kept.map((e) => e.input)).toEqual(['Go now.', 'Hi.']);
    const reason = 'more than 3 words on a side (data.maxWords)';
    expect(skipped).toEqual([
      [`${file}:2`, reason],
      [`${file}:4`, reason],
    ]);
  });

  it('keeps every pair with keepAll, for scoring a whole test file', async () => {
    const skipped: string[] = [];
    const all = await read({ keepAll: true, onSkip: (o) => skipped.push(o) });
    expect(all.map((e) => e.origin)).toEqual([1, 2, 3, 4].map((n) => `${file}:${n}`));
    expect(skipped).toEqual([]);
  });
});
