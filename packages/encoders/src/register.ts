import { registry } from '@s2s/core';
import { createLstmEncoder } from './lstm/lstm-encoder.js';

registry.register({
  kind: 'encoder',
  name: 'lstm',
  summary: 'unidirectional LSTM over token embeddings',
  create: createLstmEncoder,
});
