import './register.js';

export {
  BahdanauAttention,
  type BahdanauAttentionOptions,
  type BahdanauCache,
  createBahdanauAttention,
} from './additive/bahdanau.js';
