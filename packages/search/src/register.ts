import { registry } from '@s2s/core';
import { createBeamSearch } from './beam/beam.js';
import { createExactSearch } from './exact/exact.js';
import { createExhaustiveSearch } from './exhaustive/exhaustive.js';
import { createGreedySearch } from './greedy/greedy.js';
import { createSamplingSearch } from './sampling/sampling.js';

registry.register({
  kind: 'search',
  name: 'greedy',
  summary: 'argmax at each step, batched; finished rows stop costing work',
  create: createGreedySearch,
});
registry.register({
  kind: 'search',
  name: 'beam',
  summary: 'beam search over batch × k, log P / L^α ranking, n-best, length and n-gram constraints',
  create: createBeamSearch,
});
registry.register({
  kind: 'search',
  name: 'sampling',
  summary: 'seeded ancestral sampling with temperature, top-k and top-p (nucleus)',
  create: createSamplingSearch,
});
registry.register({
  kind: 'search',
  name: 'exact',
  summary: 'best-first search with a proved bound: the true best outputs without enumerating',
  create: createExactSearch,
});
registry.register({
  kind: 'search',
  name: 'exhaustive',
  summary: 'scores every output up to maxLength; refuses above a size limit',
  create: createExhaustiveSearch,
});
