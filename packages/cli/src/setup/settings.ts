import { readFile } from 'node:fs/promises';
import type { TaskSettings } from '@s2s/core';
import { CliError } from '../cli/errors.js';

const sections = ['model', 'training', 'search', 'data'] as const;

/** Reads a `--config` JSON file: an object with some of `model`, `training`, `search`, `data`. */
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
  for (const [key, section] of Object.entries(value)) {
    if (!(sections as readonly string[]).includes(key)) {
      throw new CliError(
        `config file ${path}: unknown section '${key}'; sections: ${sections.join(', ')}`,
      );
    }
    if (!isObject(section)) throw new CliError(`config file ${path}: '${key}' must be an object`);
  }
  return value as Partial<TaskSettings>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
