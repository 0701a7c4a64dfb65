import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import './register.js';
import { sampleFolder } from './sample.js';

describeTask('speech', {
  create: () => registry.create('task', { name: 'speech' }) as Task,
  data: sampleFolder,
  examples: 12,
});
