import type { Readable, Writable } from 'node:stream';

/**
 * Where a run of the CLI reads and writes. The `s2s` binary passes the process's streams;
 * tests and embedding programs pass their own, so a whole command runs in-process.
 */
export interface CliIO {
  readonly stdin: Readable;
  /** Results: decoded lines, scores, written paths. */
  readonly stdout: Writable;
  /** Everything for the person watching: the backend, progress, errors. */
  readonly stderr: Writable;
  /** Folder that relative paths and `--plugin` names are resolved from. */
  readonly cwd: string;
  /** Aborting it stops training as Ctrl-C does: finish the step, checkpoint, exit. */
  readonly signal?: AbortSignal;
  /** Turn the process's SIGINT (Ctrl-C) into an abort while training. Default true. */
  readonly handleSigint?: boolean;
}

/** The process's own streams and folder. */
export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  };
}

/** Writes one line. */
export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}
