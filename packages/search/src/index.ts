import './register.js';

export {
  auditBeamSearch,
  type BeamOutcome,
  type InputAudit,
  type SearchAudit,
  type SearchAuditOptions,
  type WidthSummary,
} from './audit/audit.js';
export { BeamSearch, type BeamSearchOptions, createBeamSearch } from './beam/beam.js';
export type { EarlyStopping } from './beam/source-beams.js';
export {
  createExactSearch,
  ExactSearch,
  type ExactSearchOptions,
  type ExactSearchResult,
} from './exact/exact.js';
export {
  createExhaustiveSearch,
  ExhaustiveSearch,
  type ExhaustiveSearchOptions,
} from './exhaustive/exhaustive.js';
export { createGreedySearch, GreedySearch } from './greedy/greedy.js';
export {
  createSamplingSearch,
  SamplingSearch,
  type SamplingSearchOptions,
} from './sampling/sampling.js';
