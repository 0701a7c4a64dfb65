import type { CliIO } from '../cli/io.js';

/**
 * Resolves with the first SIGTERM or SIGINT (or the abort of `io.signal`, as SIGTERM), then
 * stops listening: the long-running verbs (`serve`, `worker`) wait on it to finish what
 * they have in hand and exit 0.
 */
export function stopSignal(io: CliIO): Promise<string> {
  return new Promise<string>((resolve) => {
    const on = (name: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(name);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
    io.signal?.addEventListener('abort', () => on('SIGTERM'), { once: true });
  });
}
