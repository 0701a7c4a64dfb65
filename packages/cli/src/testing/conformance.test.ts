import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { TOY_TASK, writeToyData } from './index.js';
import { toyReverseTask } from './toy-task.js';

const dir = mkdtempSync(join(tmpdir(), 's2s-toy-kit-'));
const data = join(dir, 'digits.tsv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
await writeToyData(data, { count: 40, seed: 3 });

describeTask(TOY_TASK, {
  create: () => registry.create('task', { name: TOY_TASK }) as Task,
  data,
});

describe('toy task data settings', () => {
  const settings = (data: Record<string, unknown>) => ({ ...toyReverseTask.defaults, data });

  it('names a mistyped or bad data setting by its path', async () => {
    const examples = [{ input: 'ab', references: ['ba'] }];
    await expect(toyReverseTask.fit(examples, settings({ maxLenght: 5 }))).rejects.toThrow(
      /toy-reverse: unknown option 'data.maxLenght' \(did you mean 'maxLength'\?\)/,
    );
    await expect(toyReverseTask.fit(examples, settings({ maxLength: 0 }))).rejects.toThrow(
      "toy-reverse: option 'data.maxLength': too small: expected number to be >0, got 0",
    );
  });
});
