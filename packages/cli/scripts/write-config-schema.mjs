// Writes schema/s2s-config.schema.json from the zod schema of settings files (run after
// `npm run build`; `npm run schema -w @s2s/cli` does both). A test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/setup/config-schema.js';

const target = new URL('../schema/s2s-config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
