import { registry } from '@s2s/core';
import { createLastStateBridge, lastBridgeOptions } from './bridges/last-bridge.js';
import { createPooledBridge, pooledBridgeOptions } from './bridges/pooled-bridge.js';
import { createProjectedBridge, projectedBridgeOptions } from './bridges/projected-bridge.js';
import { createGruEncoder } from './gru/gru-encoder.js';
import {
  createHierarchicalEncoder,
  hierarchicalEncoderOptions,
} from './hierarchical/hierarchical-encoder.js';
import { createLstmEncoder } from './lstm/lstm-encoder.js';
import {
  createMultiSourceEncoder,
  multiSourceEncoderOptions,
} from './multi-source/multi-source-encoder.js';
import { pyramidalEncoderFactory } from './pyramidal/pyramidal-encoder.js';
import { pyramidalEncoderOptions, recurrentEncoderOptions } from './rnn/rnn-encoder-options.js';

registry.register({
  kind: 'encoder',
  name: 'lstm',
  options: recurrentEncoderOptions,
  summary: 'LSTM encoder: stacked, optionally bidirectional and residual, over tokens or frames',
  create: createLstmEncoder,
});
registry.register({
  kind: 'encoder',
  name: 'gru',
  options: recurrentEncoderOptions,
  summary: 'GRU encoder: stacked, optionally bidirectional and residual, over tokens or frames',
  create: createGruEncoder,
});
registry.register({
  kind: 'encoder',
  name: 'pyramidal-lstm',
  options: pyramidalEncoderOptions,
  summary: 'pyramidal (B)LSTM of Listen, Attend and Spell: each layer above the first halves time',
  create: pyramidalEncoderFactory('lstm'),
});
registry.register({
  kind: 'encoder',
  name: 'pyramidal-gru',
  options: pyramidalEncoderOptions,
  summary: 'pyramidal (B)GRU: each layer above the first halves time',
  create: pyramidalEncoderFactory('gru'),
});
registry.register({
  kind: 'bridge',
  name: 'last',
  options: lastBridgeOptions,
  summary: "the encoder's top final state",
  create: createLastStateBridge,
});
registry.register({
  kind: 'bridge',
  name: 'projected',
  options: projectedBridgeOptions,
  summary: "tanh(W·h + b) of the encoder's top final state",
  create: createProjectedBridge,
});
registry.register({
  kind: 'bridge',
  name: 'pooled',
  options: pooledBridgeOptions,
  summary: 'masked mean or max of all encoder states, optionally projected',
  create: createPooledBridge,
});
registry.register({
  kind: 'encoder',
  name: 'hierarchical',
  options: hierarchicalEncoderOptions,
  summary:
    'sentences to vectors (position encoding or bag of words, temporal encoding), then an optional sentence-level encoder; memory positions are sentences',
  create: createHierarchicalEncoder,
});
registry.register({
  kind: 'encoder',
  name: 'multi-source',
  options: multiSourceEncoderOptions,
  summary:
    'one encoder per named source: the main one in Memory.states, each further one in Memory.extras under its name',
  create: createMultiSourceEncoder,
});
