import { describe, expect, it } from 'vitest';
import { collect, tempFile } from '../../test/helpers.js';
import { DataError } from '../errors/data-error.js';
import { readLines } from '../node/read-lines.js';
import { splitLines } from './lines.js';

describe('readLines', () => {
  it('streams lines with their numbers, stripping CRLF and a byte-order mark', async () => {
    const file = tempFile('a.txt', '\ufeffone\r\ntwo\n\nfour');
    expect(await collect(readLines(file))).toEqual([
      { text: 'one', number: 1 },
      { text: 'two', number: 2 },
      { text: '', number: 3 },
      { text: 'four', number: 4 },
    ]);
    expect(await collect(readLines(tempFile('b.txt', 'x\n')))).toEqual([{ text: 'x', number: 1 }]);
    expect(await collect(readLines(tempFile('c.txt', '')))).toEqual([]);
  });

  it('keeps multi-byte characters split across read chunks intact', async () => {
    // 64 KiB chunks: put a 4-byte emoji across the first boundary.
    const text = `${'a'.repeat(65_535)}😀\n${'é'.repeat(40_000)}\n`;
    const lines = await collect(readLines(tempFile('big.txt', text)));
    expect(lines.map((l) => l.text)).toEqual([`${'a'.repeat(65_535)}😀`, 'é'.repeat(40_000)]);
  });

  it('fails on bytes that are not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('ok\nstill ok\nbad '), Buffer.from([0xff, 0x0a])]);
    const error = await collect(readLines(tempFile('latin.txt', bytes))).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/latin\.txt:3: not valid UTF-8/);
  });

  it('names a missing file', async () => {
    const error = await collect(readLines('/nonexistent/corpus.tsv')).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe('/nonexistent/corpus.tsv: no such file');
  });
});

describe('splitLines (no file system)', () => {
  it('splits a string: CRLF and a byte-order mark stripped, lines numbered from 1', async () => {
    expect(await collect(splitLines('\ufeffone\r\ntwo\n\nfour'))).toEqual([
      { text: 'one', number: 1 },
      { text: 'two', number: 2 },
      { text: '', number: 3 },
      { text: 'four', number: 4 },
    ]);
  });

  it('decodes byte chunks that cut a character and a line in two', async () => {
    const bytes = new TextEncoder().encode('é😀\r\nzw\n');
    const chunks = [
      bytes.subarray(0, 1),
      bytes.subarray(1, 4),
      bytes.subarray(4, 8),
      bytes.subarray(8),
    ];
    expect(await collect(splitLines(chunks))).toEqual([
      { text: 'é😀', number: 1 },
      { text: 'zw', number: 2 },
    ]);
  });

  it('fails on bytes that are not UTF-8, naming the source and line', async () => {
    const chunks = [new TextEncoder().encode('ok\nbad '), new Uint8Array([0xc3, 0x28])];
    const error = await collect(splitLines(chunks, 'page.txt')).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/^page\.txt:2: not valid UTF-8/);
  });
});
