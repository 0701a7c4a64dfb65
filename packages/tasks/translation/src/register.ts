// The default recipe names plugins from these packages; importing them here means that
// importing the task is enough to build, train and decode its model.
import '@s2s/attention';
import '@s2s/data';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import { knownOptions, registry } from '@s2s/core';
import { translationTask } from './translation-task.js';

registry.register({
  kind: 'task',
  name: 'translation',
  summary: translationTask.description,
  create: (options) => {
    knownOptions('translation task', options, []);
    return translationTask;
  },
});
