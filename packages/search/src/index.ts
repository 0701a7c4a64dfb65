import './register.js';

export {
  auditBeamSearch,
  type BeamOutcome,
  type InputAudit,
  type SearchAudit,
  type SearchAuditOptions,
  searchAuditOptions,
  type WidthSummary,
} from './audit/audit.js';
export {
  BeamSearch,
  type BeamSearchOptions,
  beamSearchOptions,
  createBeamSearch,
} from './beam/beam.js';
export type { EarlyStopping } from './beam/source-beams.js';
export { type CallOptions, searchCallOptions } from './decoding/options.js';
export {
  createExactSearch,
  ExactSearch,
  type ExactSearchOptions,
  type ExactSearchResult,
  exactSearchOptions,
} from './exact/exact.js';
export {
  createExhaustiveSearch,
  ExhaustiveSearch,
  type ExhaustiveSearchOptions,
  exhaustiveSearchOptions,
} from './exhaustive/exhaustive.js';
export { createGreedySearch, GreedySearch, greedySearchOptions } from './greedy/greedy.js';
export {
  createSamplingSearch,
  SamplingSearch,
  type SamplingSearchOptions,
  samplingSearchOptions,
} from './sampling/sampling.js';
