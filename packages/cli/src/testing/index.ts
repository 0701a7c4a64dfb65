/**
 * A toy task for testing the CLI and task tooling without a corpus. Importing this module
 * registers it (as `toy-reverse`), so `s2s train toy-reverse --plugin @s2s/cli/testing`
 * works.
 *
 * @module
 */
import './register.js';

export { TOY_TASK, toyDataSettings, toyReverseTask, writeToyData } from './toy-task.js';
