import { fileURLToPath } from 'node:url';
import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { readLines } from '@s2s/data/node';
import './register.js';

const sample = fileURLToPath(new URL('../data/sample.jsonl', import.meta.url));

for (const name of ['summarization', 'summarization-headline']) {
  describeTask(name, {
    create: () => registry.create('task', { name }) as Task,
    data: sample,
    read: { readLines },
    examples: 12,
  });
}
