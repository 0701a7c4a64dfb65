#!/usr/bin/env node
// The `s2s` command. This file is committed with its executable bit, so the link that
// `npm ci` makes works in a repository checkout too, where `dist/` is built only later.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    `s2s: error: the CLI is not built (${fileURLToPath(built)} is missing); in the s2s repository, run "npm run build" first\n`,
  );
  process.exit(1);
}
await import(built.href);
