// The default recipe names plugins from these packages; importing them here means that
// importing the task is enough to build, train and decode its model.
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import { registry } from '@s2s/core';
import { z } from 'zod';
import { SPEECH_TASK, speechTask } from './task/speech-task.js';

// Idempotent: the module may be loaded twice (from src by tests, from dist by a child CLI).
if (!registry.has('task', SPEECH_TASK)) {
  registry.register({
    kind: 'task',
    name: SPEECH_TASK,
    summary: speechTask.description,
    // The task takes no options: its settings come with each call.
    options: z.strictObject({}),
    create: () => speechTask,
  });
}
