import { readFileSync } from 'node:fs';
import { parseOptions } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { configFileSchema, configJsonSchema } from './config-schema.js';

const committed = new URL('../../schema/s2s-config.schema.json', import.meta.url);

describe('the settings-file schema', () => {
  it('is committed as generated: rerun `npm run schema -w @s2s/cli` after changing it', () => {
    expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(configJsonSchema());
  });

  it('lists, for editors, the training options both the CLI and the Trainer read', () => {
    const schema = configJsonSchema() as {
      properties: { training: { properties: object; additionalProperties: unknown } };
    };
    const training = schema.properties.training;
    for (const key of ['epochs', 'batchSize', 'patience', 'learningRate', 'optimizer'])
      expect(training.properties).toHaveProperty(key);
    expect(training.additionalProperties).toBe(false);
  });

  it('accepts the settings of a real run and keeps plugin options for their plugins', () => {
    const settings = {
      $schema: './node_modules/@s2s/cli/schema/s2s-config.schema.json',
      model: { decoder: { name: 'attentional', attention: { name: 'luong', score: 'dot' } } },
      training: {
        epochs: 3,
        learningRate: { name: 'inverse-sqrt', peak: 0.002, warmupSteps: 400 },
      },
      search: { name: 'beam', beamSize: 4 },
      data: { maxLength: 30 },
    };
    expect(parseOptions('t', configFileSchema, settings)).toEqual(settings);
  });
});
