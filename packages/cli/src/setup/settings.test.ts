import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from './settings.js';

describe('readConfigFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's2s-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    return join(dir, name);
  };

  it('reads the sections it knows', async () => {
    const path = await write('ok.json', '{"training": {"epochs": 3}, "search": {"name": "beam"}}');
    expect(await readConfigFile(path)).toEqual({
      training: { epochs: 3 },
      search: { name: 'beam' },
    });
  });

  it('names the file and the problem', async () => {
    await expect(readConfigFile(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json does not exist/,
    );
    await expect(readConfigFile(await write('bad.json', '{"training": '))).rejects.toThrow(
      /bad\.json is not valid JSON/,
    );
    await expect(readConfigFile(await write('list.json', '[1]'))).rejects.toThrow(
      /must hold a JSON object/,
    );
    await expect(readConfigFile(await write('typo.json', '{"trainig": {}}'))).rejects.toThrow(
      "unknown section 'trainig'; sections: model, training, search, data",
    );
    await expect(readConfigFile(await write('num.json', '{"training": 3}'))).rejects.toThrow(
      "'training' must be an object",
    );
  });
});
