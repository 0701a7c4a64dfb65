import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { collect, tempFile } from '../../test/helpers.js';
import { DataError } from '../errors/data-error.js';
import { readTsvPairs } from '../node/read-files.js';
import { splitLines } from './lines.js';
import { parseTsvPairs } from './tsv.js';

describe('readTsvPairs', () => {
  it('streams the shipped eng-fra pairs', async () => {
    const pairs = await collect(readTsvPairs(fixture('eng-fra.tsv')));
    expect(pairs).toHaveLength(40);
    expect(pairs[0]).toEqual({
      source: 'I would like the least expensive one.',
      target: 'Je voudrais la moins chère.',
      line: 1,
    });
    expect(pairs.at(-1)!.target).toBe('« Tom pleure. » - « Je sais. »');
  });

  it('ignores extra columns and blank lines', async () => {
    const file = tempFile(
      'p.tsv',
      'Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\n\nHi.\tSalut !\n',
    );
    expect(await collect(readTsvPairs(file))).toEqual([
      { source: 'Go.', target: 'Va !', line: 1 },
      { source: 'Hi.', target: 'Salut !', line: 3 },
    ]);
  });

  it('names the file and line of a line without a tab or with an empty side', async () => {
    const cases: [string, RegExp][] = [
      ['Go.\tVa !\nHello there\n', /bad\.tsv:2: expected 2 tab-separated fields/],
      ['Go.\tVa !\n\tSalut !\n', /bad\.tsv:2: empty source/],
      ['Go.\t  \n', /bad\.tsv:1: empty target/],
    ];
    for (const [content, message] of cases) {
      const error = await collect(readTsvPairs(tempFile('bad.tsv', content))).catch((e) => e);
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(message);
    }
  });
});

describe('parseTsvPairs (no file system)', () => {
  it('parses pairs from lines of text, naming the source of a bad line', async () => {
    const pairs = await collect(parseTsvPairs(splitLines('Hi.\tSalut.\n\nGo!\tVa !\tCC-BY\n')));
    expect(pairs).toEqual([
      { source: 'Hi.', target: 'Salut.', line: 1 },
      { source: 'Go!', target: 'Va !', line: 3 },
    ]);
    const error = await collect(parseTsvPairs(splitLines('a\tb\nno tab\n'), 'typed.tsv')).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/^typed\.tsv:2: expected 2 tab-separated fields/);
  });
});
