import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { readLines } from '@s2s/data/node';
import './register.js';
import { samplePath } from './node/sample.js';

describeTask('translation', {
  create: () => registry.create('task', { name: 'translation' }) as Task,
  data: samplePath,
  read: { readLines },
  examples: 40,
});
