import { registry } from '@s2s/core';
import { SPEECH_TASK, speechTask } from './task/speech-task.js';

// Idempotent: the module may be loaded twice (from src by tests, from dist by a child CLI).
if (!registry.has('task', SPEECH_TASK)) {
  registry.register({
    kind: 'task',
    name: SPEECH_TASK,
    summary: speechTask.description,
    create: () => speechTask,
  });
}
