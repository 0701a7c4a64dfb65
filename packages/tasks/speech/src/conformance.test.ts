import { registry, type Task } from '@s2s/core';
import { describeTask } from '@s2s/core/testing';
import { nodeReadOptions } from '@s2s/data/node';
import './register.js';
// Lets the pipeline's encode read WAV paths from the file system.
import { sampleFolder } from './node/index.js';

describeTask('speech', {
  create: () => registry.create('task', { name: 'speech' }) as Task,
  data: sampleFolder,
  read: nodeReadOptions,
});
