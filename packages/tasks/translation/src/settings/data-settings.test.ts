import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../register.js';
import { dataDefaults, dataSettings, translationDataSchema } from './data-settings.js';

const root = join(import.meta.dirname, '../..');
const configs = [
  'demo/config.json',
  ...readdirSync(join(root, 'bench/configs')).map((file) => `bench/configs/${file}`),
];

describe('translation data settings', () => {
  it('fill every default from an empty block, and the defaults pass their own schema', () => {
    expect(translationDataSchema.parse({})).toEqual(dataDefaults);
    expect(dataSettings({ data: {} })).toEqual(dataDefaults);
  });

  it.each(configs)('accept the data block of the shipped config %s', (file) => {
    const config = JSON.parse(readFileSync(join(root, file), 'utf8'));
    expect(config.data).toBeDefined();
    const data = dataSettings({ data: config.data });
    // What the file sets wins; the rest are defaults.
    for (const [key, value] of Object.entries(config.data)) expect(data).toHaveProperty(key, value);
  });

  it('gives a JSON Schema for the data block of a config file', () => {
    const json = z.toJSONSchema(translationDataSchema, { io: 'input' });
    expect(json).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(json.properties ?? {})).toEqual(Object.keys(translationDataSchema.shape));
  });

  it('reject a maxWords above maxInputWords, naming both', () => {
    expect(() => dataSettings({ data: { maxWords: 20, maxInputWords: 10 } })).toThrow(
      /maxInputWords \(10\) must be at least maxWords \(20\)/,
    );
    expect(dataSettings({ data: { maxWords: 20, maxInputWords: 20 } }).maxWords).toBe(20);
  });
});
