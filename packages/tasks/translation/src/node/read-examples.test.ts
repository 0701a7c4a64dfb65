import { readFileSync } from 'node:fs';
import { DataError } from '@s2s/data';
import { describe, expect, it } from 'vitest';
import { collect, tempFile } from '../../test/helpers.js';
import { readTranslationExamples } from './read-examples.js';
import { samplePath } from './sample.js';

describe('readTranslationExamples', () => {
  it('streams every pair of the shipped sample, with where it came from', async () => {
    const read = await collect(readTranslationExamples(samplePath, 12));
    const lines = readFileSync(samplePath, 'utf8').trimEnd().split('\n');
    expect(read).toHaveLength(lines.length);
    expect(lines.length).toBe(4000);
    expect(read[0]).toEqual({
      input: "I'm afraid I can't help you.",
      references: ["Je crains de ne pouvoir t'aider."],
      origin: `${samplePath}:1`,
    });
    const [english, french] = lines[3999]!.split('\t');
    expect(read[3999]).toMatchObject({ input: english, references: [french] });
  });

  it('skips pairs with more than maxWords words on either side, counting words at spaces', async () => {
    const file = tempFile(
      'pairs.tsv',
      [
        'One two three.\tUn deux trois.',
        'One two three four.\tUn deux trois.',
        'One two three.\tUn deux trois quatre.',
        'One  two\u00a0three.\tUn deux   trois.',
        '',
      ].join('\n'),
    );
    const read = await collect(readTranslationExamples(file, 3));
    expect(read.map((e) => e.origin)).toEqual([`${file}:1`, `${file}:4`]);
  });

  it('fails on a malformed line with a DataError naming the file and line', async () => {
    const cases: [string, RegExp][] = [
      ['Go.\tVa !\nNo tab here\n', /bad\.tsv:2: expected 2 tab-separated fields/],
      ['Go.\tVa !\n\tSalut !\n', /bad\.tsv:2: empty source/],
      ['Go.\t \n', /bad\.tsv:1: empty target/],
    ];
    for (const [content, message] of cases) {
      const error = await collect(readTranslationExamples(tempFile('bad.tsv', content), 12)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('names a missing file', async () => {
    const error = await collect(readTranslationExamples('/nonexistent/pairs.tsv', 12)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/pairs\.tsv: no such file/);
  });
});
