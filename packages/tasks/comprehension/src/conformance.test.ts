import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { nodeReadOptions } from '@s2s/data/node';
import { babiSamplePath } from './node/sample.js';
import './register.js';

describeTask('comprehension', {
  create: () => registry.create('task', { name: 'comprehension' }) as Task,
  data: babiSamplePath,
  read: nodeReadOptions,
});
