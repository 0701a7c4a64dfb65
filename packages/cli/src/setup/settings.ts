import { readFile } from 'node:fs/promises';
import { ConfigError, parseOptions, type TaskSettings } from '@s2s/core';
import { CliError } from '../cli/errors.js';
import { configFileSchema } from './config-schema.js';

/**
 * Reads a `--config` JSON file: an object with some of `model`, `training`, `search`,
 * `data`, checked against {@link configFileSchema} so a typo is named by its path
 * (`training.epochz`) with the option it likely meant.
 */
export async function readConfigFile(path: string): Promise<Partial<TaskSettings>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `config file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new CliError(`config file ${path} must hold a JSON object`);
  try {
    const { $schema: _schema, ...settings } = parseOptions(
      `config file ${path}`,
      configFileSchema,
      value,
    );
    return settings as Partial<TaskSettings>;
  } catch (error) {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
