import './register.js';

export type { AdditiveCache } from './additive/additive-score.js';
export {
  BahdanauAttention,
  type BahdanauAttentionOptions,
  type BahdanauCache,
  type BahdanauCoverageState,
  bahdanauOptions,
  createBahdanauAttention,
} from './additive/bahdanau.js';
export {
  createLocationAttention,
  LocationAttention,
  type LocationAttentionOptions,
  type LocationCache,
  type LocationState,
  locationOptions,
} from './additive/location.js';
export type { DotCache } from './dot-product/dot-score.js';
export {
  createMultiHeadAttention,
  MultiHeadAttention,
  type MultiHeadAttentionOptions,
  type MultiHeadCache,
  multiHeadOptions,
} from './dot-product/multi-head.js';
export {
  createScaledDotAttention,
  ScaledDotAttention,
  type ScaledDotAttentionOptions,
  type ScaledDotCache,
  scaledDotOptions,
} from './dot-product/scaled-dot.js';
export {
  createLuongAttention,
  LuongAttention,
  type LuongAttentionOptions,
  type LuongCache,
  type LuongScore,
  luongOptions,
} from './luong/luong.js';
export {
  type AttentionSupervision,
  attentionSupervisionOptions,
  supervised,
} from './multi-hop/attention-supervision.js';
export {
  createMultiHopAttention,
  type HopTying,
  type HopUpdate,
  MultiHopAttention,
  type MultiHopAttentionOptions,
  type MultiHopCache,
  multiHopOptions,
} from './multi-hop/multi-hop.js';
export {
  createMultiSourceAttention,
  type MultiSourceOptions,
  multiSourceOptions,
  type SourceSizes,
} from './multi-source/create-multi-source.js';
export {
  MultiSourceAttention,
  type MultiSourceAttentionOptions,
  type MultiSourceAttentionParts,
  type MultiSourceCache,
  type SourceCombination,
} from './multi-source/multi-source.js';
