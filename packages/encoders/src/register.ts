import { registry } from '@s2s/core';
import { createLastStateBridge } from './bridges/last-bridge.js';
import { createPooledBridge } from './bridges/pooled-bridge.js';
import { createProjectedBridge } from './bridges/projected-bridge.js';
import { createGruEncoder } from './gru/gru-encoder.js';
import { createLstmEncoder } from './lstm/lstm-encoder.js';
import { pyramidalEncoderFactory } from './pyramidal/pyramidal-encoder.js';

registry.register({
  kind: 'encoder',
  name: 'lstm',
  summary: 'LSTM encoder: stacked, optionally bidirectional and residual, over tokens or frames',
  create: createLstmEncoder,
});
registry.register({
  kind: 'encoder',
  name: 'gru',
  summary: 'GRU encoder: stacked, optionally bidirectional and residual, over tokens or frames',
  create: createGruEncoder,
});
registry.register({
  kind: 'encoder',
  name: 'pyramidal-lstm',
  summary: 'pyramidal (B)LSTM of Listen, Attend and Spell: each layer above the first halves time',
  create: pyramidalEncoderFactory('lstm'),
});
registry.register({
  kind: 'encoder',
  name: 'pyramidal-gru',
  summary: 'pyramidal (B)GRU: each layer above the first halves time',
  create: pyramidalEncoderFactory('gru'),
});
registry.register({
  kind: 'bridge',
  name: 'last',
  summary: "the encoder's top final state",
  create: createLastStateBridge,
});
registry.register({
  kind: 'bridge',
  name: 'projected',
  summary: "tanh(W·h + b) of the encoder's top final state",
  create: createProjectedBridge,
});
registry.register({
  kind: 'bridge',
  name: 'pooled',
  summary: 'masked mean or max of all encoder states, optionally projected',
  create: createPooledBridge,
});
