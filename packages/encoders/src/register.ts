import { registry } from '@s2s/core';
import { createHierarchicalEncoder } from './hierarchical/hierarchical-encoder.js';
import { createLstmEncoder } from './lstm/lstm-encoder.js';
import { createMultiSourceEncoder } from './multi-source/multi-source-encoder.js';

registry.register({
  kind: 'encoder',
  name: 'lstm',
  summary: 'unidirectional LSTM over token embeddings',
  create: createLstmEncoder,
});

registry.register({
  kind: 'encoder',
  name: 'hierarchical',
  summary:
    'sentences to vectors (position encoding or bag of words, temporal encoding), then an optional sentence-level encoder; memory positions are sentences',
  create: createHierarchicalEncoder,
});

registry.register({
  kind: 'encoder',
  name: 'multi-source',
  summary:
    'one encoder per named source: the main one in Memory.states, each further one in Memory.extras under its name',
  create: createMultiSourceEncoder,
});
