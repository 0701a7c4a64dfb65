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

  it('names a mistyped option by its path, with the option it likely meant', async () => {
    await expect(
      readConfigFile(await write('epochz.json', '{"training": {"epochz": 3}}')),
    ).rejects.toThrow(
      /epochz\.json: unknown option 'training\.epochz' \(did you mean 'epochs'\?\)/,
    );
    await expect(
      readConfigFile(
        await write(
          'rate.json',
          '{"training": {"learningRate": {"name": "linear", "form": 1, "to": 0, "steps": 9}}}',
        ),
      ),
    ).rejects.toThrow(/unknown option 'training\.learningRate\.form' \(did you mean 'from'\?\)/);
    await expect(
      readConfigFile(await write('batch.json', '{"training": {"batchSize": 0}}')),
    ).rejects.toThrow(/option 'training\.batchSize': too small: expected number to be >0, got 0/);
  });

  it('takes a $schema key for editors and leaves it out of the settings', async () => {
    const path = await write('schema.json', '{"$schema": "./s.json", "model": {"seed": 3}}');
    expect(await readConfigFile(path)).toEqual({ model: { seed: 3 } });
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
      "unknown option 'trainig' (did you mean 'training'?); known options: $schema, model, training, search, data",
    );
    await expect(readConfigFile(await write('num.json', '{"training": 3}'))).rejects.toThrow(
      "option 'training': invalid input: expected object, received number, got 3",
    );
  });
});
