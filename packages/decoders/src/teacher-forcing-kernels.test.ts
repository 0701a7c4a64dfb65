import type { Decoder } from '@s2s/core';
import { pinBackend, randomMemory, ToyAttention, ToyBridge } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AllStepsAttention } from '../test/toy-attentions.js';
import { AttentionalDecoder } from './attentional/attentional-decoder.js';
import { ContextFedDecoder } from './context-fed/context-fed-decoder.js';
import { InitialContextDecoder } from './initial-context/initial-context-decoder.js';

/**
 * What teacher forcing runs per target step, found by profiling `forward` at T and 2T and
 * dividing the difference by T. Per-op overhead dominates small models, so these budgets
 * are the point: the embedding lookup, every non-recurrent projection and, where the
 * queries allow, the attention must run once for all steps, not once per step.
 */
async function kernelsPerStep(decoder: Decoder, attendKernels = 0) {
  const memory = randomMemory({ lengths: [5, 3], size: 6, seed: 1 });
  const run = async (t: number) => {
    const targetIn = tf.zeros([2, t], 'int32') as tf.Tensor2D;
    const info = await tf.profile(() => {
      tf.tidy(() => {
        const cache = decoder.prepare(memory, { training: false });
        decoder.forward!(targetIn, cache, { training: false });
      });
    });
    targetIn.dispose();
    return info.kernels.map((k) => k.name);
  };
  const [short, long] = [await run(4), await run(8)];
  const perStep = (name: string) =>
    (long.filter((k) => k === name).length - short.filter((k) => k === name).length) / 4;
  tf.dispose([memory.states, memory.mask, ...memory.final]);
  decoder.dispose();
  return { total: (long.length - short.length) / 4 - attendKernels, perStep };
}

/** Kernels of one `attend` call of core's ToyAttention. */
async function toyAttendKernels(): Promise<number> {
  const attention = new ToyAttention(6, 6, 1);
  const memory = randomMemory({ lengths: [5, 3], size: 6, seed: 1 });
  const cache = attention.prepare(memory);
  const query = tf.zeros([2, 6]) as tf.Tensor2D;
  const info = await tf.profile(() => {
    tf.tidy(() => {
      attention.attend(query, cache);
    });
  });
  tf.dispose([query, memory.states, memory.mask, ...memory.final, ...Object.values(cache)]);
  attention.dispose();
  return info.kernels.length;
}

const sizes = { vocabSize: 9, embeddingSize: 4, hiddenSize: 6 };
const bridge = () => new ToyBridge(6, 6, 2);

describe('teacher forcing hoists everything that is not recurrent', () => {
  beforeAll(() => pinBackend('wasm'));

  it('initial-context: one matMul and the LSTM gates per step (GRU: one matMul and its gates)', async () => {
    const lstm = await kernelsPerStep(new InitialContextDecoder(sizes, bridge(), 1));
    expect(lstm.perStep('GatherV2'), 'embedding lookups per step').toBe(0);
    expect(lstm.perStep('BatchMatMul')).toBe(1);
    expect(lstm.total).toBeLessThanOrEqual(11);
    const gru = await kernelsPerStep(
      new InitialContextDecoder({ ...sizes, cell: 'gru' }, bridge(), 1),
    );
    expect(gru.perStep('BatchMatMul')).toBe(1);
    expect(gru.total).toBeLessThanOrEqual(13);
    const stacked = await kernelsPerStep(
      new InitialContextDecoder({ ...sizes, layers: 2 }, bridge(), 1),
    );
    expect(stacked.perStep('BatchMatMul')).toBe(2);
    expect(stacked.total).toBeLessThanOrEqual(23);
  });

  it('context-fed: C_z·c is added before the loop, so a step costs what an initial-context one does', async () => {
    const k = await kernelsPerStep(new ContextFedDecoder(sizes, bridge(), 1));
    expect(k.perStep('BatchMatMul')).toBe(1);
    expect(k.total).toBeLessThanOrEqual(11);
  });

  it('attentional, Luong order without input feeding: no attention inside the loop', async () => {
    const k = await kernelsPerStep(
      new AttentionalDecoder(
        { ...sizes, order: 'luong' },
        { attention: new AllStepsAttention(6, 6, 1) },
        1,
      ),
    );
    expect(k.perStep('Softmax'), 'attention softmaxes per step').toBe(0);
    expect(k.perStep('BatchMatMul')).toBe(1);
    expect(k.total).toBeLessThanOrEqual(11);
  });

  it('attentional, Bahdanau order and Luong input feeding: the attention plus a few kernels per step', async () => {
    const attend = await toyAttendKernels();
    const bahdanau = await kernelsPerStep(
      new AttentionalDecoder(sizes, { attention: new ToyAttention(6, 6, 1) }, 1),
      attend,
    );
    expect(bahdanau.perStep('GatherV2')).toBe(0);
    expect(bahdanau.total, 'kernels besides attend').toBeLessThanOrEqual(12);
    const feeding = await kernelsPerStep(
      new AttentionalDecoder(
        { ...sizes, order: 'luong', inputFeeding: true },
        { attention: new ToyAttention(6, 6, 1) },
        1,
      ),
      attend,
    );
    expect(feeding.total, 'kernels besides attend').toBeLessThanOrEqual(15);
  });
});
