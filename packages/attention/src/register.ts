import { registry } from '@s2s/core';
import { bahdanauOptions, createBahdanauAttention } from './additive/bahdanau.js';
import { createLocationAttention, locationOptions } from './additive/location.js';
import { createMultiHeadAttention, multiHeadOptions } from './dot-product/multi-head.js';
import { createScaledDotAttention, scaledDotOptions } from './dot-product/scaled-dot.js';
import { createLuongAttention, luongOptions } from './luong/luong.js';
import { createMultiHopAttention, multiHopOptions } from './multi-hop/multi-hop.js';
import {
  createMultiSourceAttention,
  multiSourceOptions,
} from './multi-source/create-multi-source.js';

registry.register({
  kind: 'attention',
  name: 'bahdanau',
  options: bahdanauOptions,
  summary:
    'additive attention, vᵀ tanh(W_k h + W_q s [+ w_c c]), keys projected once per source; optional coverage',
  create: createBahdanauAttention,
});

registry.register({
  kind: 'attention',
  name: 'luong',
  options: luongOptions,
  summary: "Luong global attention with score 'dot', 'general' or 'concat'",
  create: createLuongAttention,
});

registry.register({
  kind: 'attention',
  name: 'scaled-dot',
  options: scaledDotOptions,
  summary: 'scaled dot-product attention, (W_q s)·(W_k h)/√d',
  create: createScaledDotAttention,
});

registry.register({
  kind: 'attention',
  name: 'multi-head',
  options: multiHeadOptions,
  summary: 'multi-head scaled dot-product attention with an output projection',
  create: createMultiHeadAttention,
});

registry.register({
  kind: 'attention',
  name: 'location',
  options: locationOptions,
  summary:
    'location-aware attention: additive score plus a convolution over the previous alignment',
  create: createLocationAttention,
});

registry.register({
  kind: 'attention',
  name: 'multi-hop',
  options: multiHopOptions,
  summary:
    'multi-hop attention of end-to-end memory networks: the query refined by K reads of the memory; optional supervision by supporting positions',
  create: createMultiHopAttention,
});

registry.register({
  kind: 'attention',
  name: 'multi-source',
  options: multiSourceOptions,
  summary:
    "attention over several sources (the main one and others in Memory.extras), combined by 'concat', 'hierarchical' or 'flat'",
  create: createMultiSourceAttention,
});
