import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHECKSUMS_FILE, MODEL_FILE } from '@s2s/core';
import { SealedFolder, sealFolder, TRAINER_FILE } from '@s2s/core/node';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';

/**
 * `s2s seal FOLDER`: records checksums for a model or checkpoint folder saved before s2s
 * required them, then opens it as a load would, to show the result is readable.
 */
export async function sealCommand(folder: string, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`${folder} is not a folder`);
  }
  if (!existsSync(join(dir, MODEL_FILE)) && !existsSync(join(dir, TRAINER_FILE))) {
    throw new CliError(
      `${folder} holds no ${MODEL_FILE} or ${TRAINER_FILE}: not a model or checkpoint`,
    );
  }
  if (existsSync(join(dir, CHECKSUMS_FILE))) {
    throw new CliError(`${folder} already has ${CHECKSUMS_FILE}; remove it first to re-seal`);
  }
  if (existsSync(join(dir, TRAINER_FILE)) && !existsSync(join(dir, 'model', CHECKSUMS_FILE))) {
    await sealFolder(join(dir, 'model'));
  }
  await sealFolder(dir);
  await SealedFolder.open(dir);
  io.stderr.write(`s2s: recorded checksums of every file in ${folder} (${CHECKSUMS_FILE})\n`);
  return 0;
}
