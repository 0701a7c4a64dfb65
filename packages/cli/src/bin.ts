#!/usr/bin/env node
import { run } from './cli/run.js';

// `s2s decode … | head` closes the pipe early: stop quietly, as Unix filters do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await run(process.argv.slice(2));
