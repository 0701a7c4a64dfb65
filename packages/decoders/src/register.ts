import { registry } from '@s2s/core';
import {
  attentionalDecoderOptions,
  createAttentionalDecoder,
} from './attentional/create-attentional-decoder.js';
import {
  contextFedDecoderOptions,
  createContextFedDecoder,
} from './context-fed/context-fed-decoder.js';
import {
  createInitialContextDecoder,
  initialContextDecoderOptions,
} from './initial-context/initial-context-decoder.js';
import { createPointerOutput, pointerOutputOptions } from './pointer/pointer-output.js';
import {
  createPointerGeneratorDecoder,
  pointerGeneratorDecoderOptions,
} from './pointer-generator/pointer-generator-decoder.js';
import {
  createPointerGeneratorOutput,
  pointerGeneratorOutputOptions,
} from './pointer-generator/pointer-generator-output.js';

registry.register({
  kind: 'decoder',
  name: 'initial-context',
  options: initialContextDecoderOptions,
  summary: 'RNN decoder started from a bridged context c as h_0 (Sutskever et al. 2014)',
  create: createInitialContextDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'context-fed',
  options: contextFedDecoderOptions,
  summary: 'RNN decoder that reads the bridged context c at every step (Cho et al. 2014)',
  create: createContextFedDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'attentional',
  options: attentionalDecoderOptions,
  summary: 'RNN decoder over any attention, Bahdanau or Luong order, input feeding, coverage loss',
  create: createAttentionalDecoder,
});
registry.register({
  kind: 'decoder',
  name: 'pointer-generator',
  options: pointerGeneratorDecoderOptions,
  summary: 'attentional decoder whose features [o_t; x_t] feed a copy mechanism (See et al. 2017)',
  create: createPointerGeneratorDecoder,
});
registry.register({
  kind: 'output',
  name: 'pointer-generator',
  options: pointerGeneratorOutputOptions,
  summary: 'p_gen·P_vocab + (1 − p_gen)·copy over an extended vocabulary (See et al. 2017)',
  create: createPointerGeneratorOutput,
});
registry.register({
  kind: 'output',
  name: 'pointer',
  options: pointerOutputOptions,
  summary:
    'pointer network: the attention over the input positions plus <eos> is the distribution (Vinyals et al. 2015)',
  create: createPointerOutput,
});
