/**
 * What dynamic batching can gain at most for a model: CPU time per input when the same
 * 128 inputs are decoded through `TaskModel.decode` in batches of 1, 8, 32 and 64, after
 * one warm-up batch. The ratio of batch 1 to batch 32 bounds what `s2s serve` can reach
 * with `--max-batch 32`, whatever the server does.
 *
 *   npm run build && node bench/dist/batch-ceiling.js RUN_OR_MODEL_FOLDER [--backend wasm]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendChoice, TaskModel, useBackend } from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import '@s2s/search';
import { randomDigits, toyPlugin } from './toy-model.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'wasm' } },
});
await import(toyPlugin);
await useBackend(args.backend as BackendChoice);
const dir = positionals[0] ?? '';
const folder = existsSync(join(dir, 'model', 'model.json')) ? join(dir, 'model') : dir;
const model = await TaskModel.load(modelFolder(folder));
const inputs = randomDigits(128, 7);
await model.decode(inputs.slice(0, 64), { batchSize: 64 });
for (const size of [1, 8, 32, 64]) {
  const start = process.cpuUsage();
  for (let i = 0; i < inputs.length; i += size) {
    await model.decode(inputs.slice(i, i + size), { batchSize: size });
  }
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000 / inputs.length;
  process.stdout.write(`batch ${size}: ${ms.toFixed(2)} CPU ms per input\n`);
}
model.dispose();
