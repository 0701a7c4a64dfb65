import { type BackendChoice, useBackend } from '@s2s/core';
import type { CliIO } from '../cli/io.js';

/** Selects the TensorFlow.js backend and says once, on stderr, which one runs and why. */
export async function selectBackend(choice: BackendChoice, io: CliIO): Promise<void> {
  const info = await useBackend(choice);
  io.stderr.write(`s2s: backend ${info.description}\n`);
}
