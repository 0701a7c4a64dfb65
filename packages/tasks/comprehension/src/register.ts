// The plugins the default recipe names, registered with the task that uses them.
import '@s2s/encoders';
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/search';
import { registry } from '@s2s/core';
import { z } from 'zod';
import { comprehensionTask } from './task/comprehension-task.js';

registry.register({
  kind: 'task',
  name: 'comprehension',
  summary: 'reading comprehension on bAbI: a story and a question in, a word, list or path out',
  // The task takes no options: its settings come with each call.
  options: z.strictObject({}),
  create: () => comprehensionTask,
});
