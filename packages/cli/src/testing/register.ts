import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import { registry } from '@s2s/core';
import { z } from 'zod';
import { TOY_TASK, toyReverseTask } from './toy-task.js';

// Idempotent: the module may be loaded twice (from src by tests, from dist by a child CLI).
if (!registry.has('task', TOY_TASK)) {
  registry.register({
    kind: 'task',
    name: TOY_TASK,
    summary: toyReverseTask.description,
    options: z.strictObject({}), // a task takes its settings elsewhere, so no options here
    create: () => toyReverseTask,
  });
}
