export { CliError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE } from './cli/errors.js';
export { type CliIO, processIO } from './cli/io.js';
export { run } from './cli/run.js';
export type { LogRecord } from './train/training-log.js';
