import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import './register.js';
import { samplePath } from './sample.js';

describeTask('translation', {
  create: () => registry.create('task', { name: 'translation' }) as Task,
  data: samplePath,
  examples: 40,
});
