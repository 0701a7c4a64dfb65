// Writes schema/s2s-config.schema.json (any task) and schema/s2s-config.<task>.schema.json
// (each bundled task that declares its data schema) from the zod schemas of settings files
// (run after `npm run build`; `npm run schema -w @s2s/cli` does both). A test fails when
// any is stale.
import { writeFileSync } from 'node:fs';
import { registry } from '@s2s/core';
import { configJsonSchema, configSchemaFile } from '../dist/setup/config-schema.js';
import { taskPackages } from '../dist/setup/plugins.js';

for (const name of taskPackages) await import(name);
const tasks = registry.names('task').map((name) => registry.create('task', { name }));
for (const task of [undefined, ...tasks.filter((t) => t.dataSchema)]) {
  const target = new URL(`../schema/${configSchemaFile(task?.name)}`, import.meta.url);
  writeFileSync(target, `${JSON.stringify(configJsonSchema(task), null, 2)}\n`);
  console.log(`wrote ${target.pathname}`);
}
