// The plugins the default recipe names, registered with the task that uses them.
import '@s2s/encoders';
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/search';
import { knownOptions, registry } from '@s2s/core';
import { comprehensionTask } from './task/comprehension-task.js';

registry.register({
  kind: 'task',
  name: 'comprehension',
  summary: 'reading comprehension on bAbI: a story and a question in, a word, list or path out',
  create: (options) => {
    knownOptions('comprehension task', options, []);
    return comprehensionTask;
  },
});
