import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { collect, tempFile } from '../../test/helpers.js';
import { DataError } from '../errors/data-error.js';
import { readJsonl, readJsonlPairs } from '../node/read-files.js';
import { parseJsonlPairs } from './jsonl.js';

describe('readJsonl', () => {
  it('streams the shipped (text, summary) records', async () => {
    const pairs = await collect(readJsonlPairs(fixture('summaries.jsonl')));
    expect(pairs).toHaveLength(4);
    expect(pairs[2]!.target).toBe('Le marché du samedi accueille désormais des producteurs d’été.');
    expect(pairs.map((p) => p.line)).toEqual([1, 2, 3, 4]);
  });

  it('reads other field names, and any JSON value with readJsonl', async () => {
    const pairs = tempFile('q.jsonl', '{"q": "2+2?", "a": "4"}\n\n{"q": "Où ?", "a": "Ici"}\n');
    expect(await collect(readJsonlPairs(pairs, { source: 'q', target: 'a' }))).toEqual([
      { source: '2+2?', target: '4', line: 1 },
      { source: 'Où ?', target: 'Ici', line: 3 },
    ]);
    const values = tempFile('v.jsonl', '[1, 2]\n"x"\nnull\n');
    expect((await collect(readJsonl(values))).map((r) => r.value)).toEqual([[1, 2], 'x', null]);
  });

  it('checks its options: a typo gets a suggestion, a bad value its name', async () => {
    const lines = [{ text: '{"text": "a", "summary": "b"}', number: 1 }];
    await expect(
      collect(parseJsonlPairs(lines, 'x.jsonl', { sorce: 'a' } as never)),
    ).rejects.toThrow(/parseJsonlPairs: unknown option 'sorce' \(did you mean 'source'\?\)/);
    await expect(collect(parseJsonlPairs(lines, 'x.jsonl', { target: '' }))).rejects.toThrow(
      /parseJsonlPairs: option 'target': .*got ''/,
    );
    expect(await collect(parseJsonlPairs(lines, 'x.jsonl'))).toEqual([
      { source: 'a', target: 'b', line: 1 },
    ]);
  });

  it('names the file and line of malformed records', async () => {
    const cases: [string, RegExp][] = [
      ['{"text": "a", "summary": "b"}\n{"text": "a", "summary": \n', /bad\.jsonl:2: invalid JSON/],
      ['[1]\n', /bad\.jsonl:1: expected a JSON object, found an array/],
      ['{"text": "a"}\n', /bad\.jsonl:1: expected a string field 'summary', found none/],
      ['{"text": 3, "summary": "b"}\n', /expected a string field 'text', found a number/],
      ['{"text": "a", "summary": " "}\n', /bad\.jsonl:1: empty 'summary'/],
    ];
    for (const [content, message] of cases) {
      const error = await collect(readJsonlPairs(tempFile('bad.jsonl', content))).catch((e) => e);
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(message);
    }
  });
});
