import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { afterAll } from 'vitest';
import { TOY_TASK, writeToyData } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 's2s-toy-kit-'));
const data = join(dir, 'digits.tsv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
await writeToyData(data, { count: 40, seed: 3 });

describeTask(TOY_TASK, {
  create: () => registry.create('task', { name: TOY_TASK }) as Task,
  data,
});
