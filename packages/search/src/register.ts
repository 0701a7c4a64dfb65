import { registry } from '@s2s/core';
import { beamSearchOptions, createBeamSearch } from './beam/beam.js';
import { createExactSearch, exactSearchOptions } from './exact/exact.js';
import { createExhaustiveSearch, exhaustiveSearchOptions } from './exhaustive/exhaustive.js';
import { createGreedySearch, greedySearchOptions } from './greedy/greedy.js';
import { createSamplingSearch, samplingSearchOptions } from './sampling/sampling.js';

registry.register({
  kind: 'search',
  name: 'greedy',
  summary: 'argmax at each step, batched; finished rows stop costing work',
  options: greedySearchOptions,
  create: createGreedySearch,
});
registry.register({
  kind: 'search',
  name: 'beam',
  summary: 'beam search over batch × k, log P / L^α ranking, n-best, length and n-gram constraints',
  options: beamSearchOptions,
  create: createBeamSearch,
});
registry.register({
  kind: 'search',
  name: 'sampling',
  summary: 'seeded ancestral sampling with temperature, top-k and top-p (nucleus)',
  options: samplingSearchOptions,
  create: createSamplingSearch,
});
registry.register({
  kind: 'search',
  name: 'exact',
  summary: 'best-first search with a proved bound: the true best outputs without enumerating',
  options: exactSearchOptions,
  create: createExactSearch,
});
registry.register({
  kind: 'search',
  name: 'exhaustive',
  summary: 'scores every output up to maxLength; refuses above a size limit',
  options: exhaustiveSearchOptions,
  create: createExhaustiveSearch,
});
