import { reportError } from './errors.js';
import { type CliIO, processIO } from './io.js';
import { createProgram } from './program.js';

/**
 * Runs the `s2s` command line on `argv` (the arguments after `s2s`) and returns the exit
 * status: 0 on success, 1 on an error, 2 on a command line that does not parse, 130 when
 * training was interrupted (its checkpoint saved). Errors are reported on `io.stderr`, one
 * line each (`--verbose` adds the stack).
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const result = { status: 0 };
  try {
    await createProgram(io, result).parseAsync([...argv], { from: 'user' });
    return result.status;
  } catch (error) {
    return reportError(error, io, argv.includes('--verbose'));
  }
}
