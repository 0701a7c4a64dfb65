import { EXIT_INTERRUPTED } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';

/**
 * Turns Ctrl-C (SIGINT) and `io.signal` into one abort signal for training: the first
 * Ctrl-C lets the current step finish and a checkpoint be written; a second one quits at
 * once, for a user who cannot wait.
 */
export function interruptSignal(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (io.signal?.aborted) controller.abort();
  io.signal?.addEventListener('abort', onAbort);
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.stderr.write(
      '\ns2s: stopping after this step to save a checkpoint (Ctrl-C again quits at once)\n',
    );
    controller.abort();
  };
  const handle = io.handleSigint ?? true;
  if (handle) process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      io.signal?.removeEventListener('abort', onAbort);
      if (handle) process.off('SIGINT', onSigint);
    },
  };
}
