import { CommanderError } from 'commander';
import type { CliIO } from './io.js';

/** Exit status of a run that failed on bad input or a bad setting. */
export const EXIT_FAILURE = 1;
/** Exit status of a command line that does not parse (commander's convention). */
export const EXIT_USAGE = 2;
/** Exit status after Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/**
 * A mistake on the command line or in its inputs that the user can fix; shown without a
 * stack. Not an `S2SError`, so that loading the CLI to print its help does not load
 * TensorFlow.js with `@s2s/core`.
 */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    /** The exit status. */
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/**
 * Reports an error on stderr and returns the exit status. Expected errors (s2s's typed
 * errors, file-system errors, command-line mistakes) get one line; `verbose` adds the
 * stack. Anything else is a bug in s2s or a plugin, so its stack is always shown.
 */
export function reportError(error: unknown, io: CliIO, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (through the output we configured).
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  const expected = isExpected(error);
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  io.stderr.write(`s2s: ${expected ? 'error' : 'internal error'}: ${firstLine}\n`);
  if ((verbose || !expected) && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
  return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
}

/** Whether an error is one a user can act on from its message alone. */
function isExpected(error: unknown): boolean {
  if (error instanceof CliError) return true;
  // s2s's typed errors, recognised by class name so that this module need not load
  // @s2s/core, and so that a plugin with a second copy of core is recognised too.
  for (let p = Object.getPrototypeOf(error ?? {}); p; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === 'S2SError') return true;
  }
  // Node's system errors (ENOENT, EACCES, …) name the path and the problem.
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
