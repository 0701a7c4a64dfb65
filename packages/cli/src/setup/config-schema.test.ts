import { readFileSync } from 'node:fs';
import { parseOptions, registry, type Task } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import '@s2s/task-comprehension';
import '@s2s/task-speech';
import '@s2s/task-summarization';
import '@s2s/task-translation';
import {
  configFileSchema,
  configJsonSchema,
  configSchemaFile,
  taskConfigSchema,
} from './config-schema.js';

const committed = new URL('../../schema/s2s-config.schema.json', import.meta.url);
const bundledTasks = [
  'comprehension',
  'speech',
  'summarization',
  'summarization-headline',
  'translation',
];
const task = (name: string) => registry.create('task', { name }) as Task;

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

  it.each(bundledTasks)(
    'is committed as generated for the %s task, with its data section',
    (name) => {
      const file = new URL(`../../schema/${configSchemaFile(name)}`, import.meta.url);
      const schema = configJsonSchema(task(name));
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(schema);
      const data = (schema as { properties: { data: { additionalProperties: unknown } } })
        .properties.data;
      expect(data.additionalProperties).toBe(false);
    },
  );

  it.each(bundledTasks)(
    "accepts the %s task's own defaults and names a typo in its data section",
    (name) => {
      const schema = taskConfigSchema(task(name));
      const { data } = task(name).defaults;
      expect(() => parseOptions('t', schema, { data })).not.toThrow();
      const key = Object.keys(data)[0]!;
      const typo = `${key.slice(0, -1)}${key.at(-1) === 'x' ? 'y' : 'x'}`;
      expect(() => parseOptions('t', schema, { data: { [typo]: data[key] } })).toThrow(
        `unknown option 'data.${typo}' (did you mean '${key}'?)`,
      );
    },
  );
});
