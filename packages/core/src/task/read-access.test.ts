import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { readAccess } from './read-access.js';

describe('readAccess', () => {
  it('gives the function asked for', () => {
    const listFolder = async () => ['a.txt'];
    expect(readAccess({ listFolder }, 'listFolder', 'demo', 'data')).toBe(listFolder);
  });

  it('names the task, the path, what is missing and what to pass when absent', () => {
    for (const options of [undefined, {}, { readLines: undefined }]) {
      const call = () => readAccess(options, 'readLines', 'demo', 'data/x.txt');
      expect(call).toThrow(ConfigError);
      expect(call).toThrow(
        "demo: reading data/x.txt needs options.readLines, found none; in Node pass nodeReadOptions from '@s2s/data/node'",
      );
    }
  });
});
