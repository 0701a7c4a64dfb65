import { type Task, trainerSettingsSchema } from '@s2s/core';
import { z } from 'zod';

const component = (what: string) =>
  z
    .looseObject({
      name: z
        .string()
        .optional()
        .describe(`The registered ${what} plugin; another name replaces the task's ${what} whole`),
    })
    .describe(
      `The ${what} by registry name, with that plugin's options (checked when it is built)`,
    );

/**
 * The `training` section: the options the CLI's loop reads itself, then those it hands to
 * the `Trainer`. One schema for both, so a typo is named with every option it could mean.
 */
export const trainingSchema = trainerSettingsSchema
  .extend({
    epochs: z.int().positive().optional().describe('Epochs in all. Default 10'),
    batchSize: z.int().positive().optional().describe('Examples per batch. Default 32'),
    maxTokens: z.int().positive().optional().describe('Upper bound on padded tokens per batch'),
    devFraction: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of examples held out for validation when the task has no split of its own'),
    patience: z
      .int()
      .positive()
      .optional()
      .describe('Stop after this many epochs without improvement. Default: never'),
    checkpointEvery: z
      .int()
      .positive()
      .optional()
      .describe('Also checkpoint every this many steps (always at each epoch end and on Ctrl-C)'),
  })
  .describe('How to train');

/**
 * A `--config` settings file: any of the sections `model`, `training`, `search`, `data`,
 * each overriding the task's defaults key by key. The published JSON Schema
 * (`@s2s/cli/schema/s2s-config.schema.json`) is generated from it.
 */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema this file follows, for editors'),
    model: z
      .strictObject({
        seed: z.int().optional().describe('Seeds every initial weight'),
        encoder: component('encoder').optional(),
        decoder: component('decoder').optional(),
        output: component('output layer').optional(),
      })
      .optional()
      .describe('The model recipe; the task fills in vocabulary and feature sizes'),
    training: trainingSchema.optional(),
    search: z
      .looseObject({
        name: z.string().optional().describe('The registered search strategy, e.g. greedy or beam'),
        maxLength: z.int().positive().optional().describe('Longest output in tokens'),
      })
      .optional()
      .describe("The default search strategy by registry name, with that strategy's options"),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The task's data options (maximum lengths, lower-casing, …); the task checks them"),
  })
  .describe('Settings for s2s train --config and s2s eval --config');

/**
 * The schema of a settings file for one task: {@link configFileSchema} with the task's own
 * `data` schema ({@link Task.dataSchema}) in place of the free-form section.
 */
export function taskConfigSchema(task: Pick<Task, 'name' | 'dataSchema'>) {
  if (!task.dataSchema) return configFileSchema;
  return configFileSchema.extend({
    data: task.dataSchema
      .optional()
      .describe(`The ${task.name} task's data options, each overriding its default`),
  });
}

/**
 * The JSON Schema of a settings file, as editors read it: for any task, or, given a task
 * that declares its data schema, for that task (its `data` section checked too).
 */
export function configJsonSchema(
  task?: Pick<Task, 'name' | 'dataSchema'>,
): Record<string, unknown> {
  return {
    ...z.toJSONSchema(task ? taskConfigSchema(task) : configFileSchema, { io: 'input' }),
    title: task ? `s2s settings file for the ${task.name} task` : 's2s settings file',
  };
}

/** Where the JSON Schema of a settings file is published, for any task or for one. */
export function configSchemaFile(task?: string): string {
  return task ? `s2s-config.${task}.schema.json` : 's2s-config.schema.json';
}
