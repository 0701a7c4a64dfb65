import { registry } from '@s2s/core';
import { createAttentionalDecoder } from './attentional/attentional-decoder.js';

registry.register({
  kind: 'decoder',
  name: 'attentional',
  summary: 'LSTM decoder that attends with s_{t−1} before each step (Bahdanau order)',
  create: createAttentionalDecoder,
});
