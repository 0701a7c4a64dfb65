// The default recipe names plugins from these packages; importing them here means that
// importing the task is enough to build, train and decode its model.
import '@s2s/attention';
import '@s2s/data';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import { registry } from '@s2s/core';
import { z } from 'zod';
import { translationTask } from './translation-task.js';

registry.register({
  kind: 'task',
  name: 'translation',
  summary: translationTask.description,
  // The task takes no options: its settings come with each call.
  options: z.strictObject({}),
  create: () => translationTask,
});
