// The presets name these plugins; importing them registers them.
import '@s2s/encoders';
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/search';
import { registry } from '@s2s/core';
import { z } from 'zod';
import { headlineTask, summarizationTask } from './task/summarization-task.js';

for (const task of [summarizationTask, headlineTask]) {
  registry.register({
    kind: 'task',
    name: task.name,
    summary: task.description,
    // The task takes no options: its settings come with each call.
    options: z.strictObject({}),
    create: () => task,
  });
}
