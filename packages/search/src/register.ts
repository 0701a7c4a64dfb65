import { registry } from '@s2s/core';
import { createGreedySearch } from './greedy/greedy.js';

registry.register({
  kind: 'search',
  name: 'greedy',
  summary: 'argmax at each step, batched; finished rows stop costing work',
  create: createGreedySearch,
});
