import { registry } from '@s2s/core';
import { createAttentionalDecoder } from './attentional/create-attentional-decoder.js';
import { createContextFedDecoder } from './context-fed/context-fed-decoder.js';
import { createInitialContextDecoder } from './initial-context/initial-context-decoder.js';
import { createPointerOutput } from './pointer/pointer-output.js';
import { createPointerGeneratorDecoder } from './pointer-generator/pointer-generator-decoder.js';
import { createPointerGeneratorOutput } from './pointer-generator/pointer-generator-output.js';

registry.register({
  kind: 'decoder',
  name: 'initial-context',
  summary: 'RNN decoder started from a bridged context c as h_0 (Sutskever et al. 2014)',
  create: createInitialContextDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'context-fed',
  summary: 'RNN decoder that reads the bridged context c at every step (Cho et al. 2014)',
  create: createContextFedDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'attentional',
  summary: 'RNN decoder over any attention, Bahdanau or Luong order, input feeding, coverage loss',
  create: createAttentionalDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'pointer-generator',
  summary: 'attentional decoder whose features [o_t; x_t] feed a copy mechanism (See et al. 2017)',
  create: createPointerGeneratorDecoder,
});
registry.register({
  kind: 'output',
  name: 'pointer-generator',
  summary: 'p_gen·P_vocab + (1 − p_gen)·copy over an extended vocabulary (See et al. 2017)',
  create: createPointerGeneratorOutput,
});
registry.register({
  kind: 'output',
  name: 'pointer',
  summary:
    'pointer network: the attention over the input positions plus <eos> is the distribution (Vinyals et al. 2015)',
  create: createPointerOutput,
});
