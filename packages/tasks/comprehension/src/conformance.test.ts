import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { babiSamplePath } from './babi/sample.js';
import './register.js';

describeTask('comprehension', {
  create: () => registry.create('task', { name: 'comprehension' }) as Task,
  data: babiSamplePath,
});
