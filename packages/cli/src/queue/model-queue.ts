import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODEL_FILE } from '@s2s/core';
import { DEFAULT_QUEUE } from '@s2s/serve';
import type { CliIO } from '../cli/io.js';
import { locateModel } from '../model/run-folder.js';

/**
 * The queue of a model: `s2s-decode-` and the first 12 hex digits of the SHA-256 of its
 * `checksums.json` (or `model.json`), so the producer and the workers of the same model
 * meet without being told, and a worker never decodes jobs meant for another model.
 */
export function modelQueueName(modelPath: string, io: CliIO): string {
  const { dir } = locateModel(resolve(io.cwd, modelPath), modelPath);
  const sums = join(dir, 'checksums.json');
  const file = existsSync(sums) ? sums : join(dir, MODEL_FILE);
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
  return `${DEFAULT_QUEUE}-${digest.slice(0, 12)}`;
}
