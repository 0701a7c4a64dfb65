/**
 * Shared inputs of the decoders' hand-computation and finite-difference tests: a tiny
 * two-row memory with one padded row and targets with padding.
 */
import type { Decoder, Memory, Module } from '@s2s/core';
import { expectGradientsMatchFiniteDifferences, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { type Mat, maskedMean, param, tanhV, type Vec, vecMat } from './reference.js';

export const lengths = [3, 2] as const;

/** `[2, 3, size]` memory, row 1 padded after 2 positions. */
export function tinyMemory(size: number, seed = 5): Memory {
  return randomMemory({ lengths: [...lengths], size, seed });
}

/** `<bos>`-first target inputs, the second row padded with 0. */
export function tinyTargets(): tf.Tensor2D {
  return tf.tensor2d(
    [
      [1, 3, 4],
      [1, 2, 0],
    ],
    [2, 3],
    'int32',
  );
}

/** Row b's real encoder states as arrays. */
export function rowStates(memory: Memory, b: number): Mat {
  return (memory.states.arraySync() as Mat[])[b]!.slice(0, lengths[b]);
}

/** Core's ToyBridge by hand: c = tanh(W · masked mean of the states). */
export function toyBridgeContext(decoder: Module, memory: Memory, b: number): Vec {
  return tanhV(
    vecMat(maskedMean(rowStates(memory, b), lengths[b]!), param(decoder, 'bridge.kernel')),
  );
}

/** Σ(output ⊙ probe): a scalar whose gradient reaches every output element. */
export function probeLoss(output: tf.Tensor, seed = 6): tf.Scalar {
  return tf.tidy(() =>
    tf.sum(tf.mul(output, tf.randomNormal(output.shape, 0, 1, 'float32', seed))),
  );
}

/** Asserts nested arrays agree element-wise within `tolerance`. */
export function maxDifference(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Number.POSITIVE_INFINITY;
    return Math.max(0, ...a.map((x, i) => maxDifference(x, b[i])));
  }
  return Math.abs((a as number) - (b as number));
}

const inference = { training: false } as const;

/**
 * Teacher forcing on the tiny fixtures: outputs and weights as arrays, the inputs for the
 * hand computation, and a `dispose` for the inputs.
 */
export function forwardTiny(decoder: Decoder, memorySize: number) {
  const memory = tinyMemory(memorySize);
  const targets = tinyTargets();
  const out = tf.tidy(() => {
    const r = decoder.forward!(targets, decoder.prepare(memory, inference), inference);
    return {
      output: r.output.arraySync() as number[][][],
      weights: r.weights?.arraySync() as number[][][] | undefined,
    };
  });
  const targetIn = targets.arraySync() as number[][];
  return {
    ...out,
    memory,
    targetIn,
    dispose: () => tf.dispose([memory.states, memory.mask, ...memory.final, targets]),
  };
}

/**
 * Finite-difference check, on cpu and in training mode, of a probe of the outputs plus
 * 10 × any extra loss, with the second target row's last position masked. `create` runs after the switch to
 * cpu so the parameters live there.
 */
export async function expectTinyGradientsMatch(
  create: () => Decoder,
  memorySize: number,
): Promise<void> {
  await pinBackend('cpu');
  const decoder = create();
  const memory = tinyMemory(memorySize);
  const targetIn = tinyTargets();
  const targetMask = tf.tensor2d([
    [1, 1, 1],
    [1, 1, 0],
  ]);
  try {
    // Training mode (dropout is 0 here) so the check covers the gradient path training
    // takes, core's recurrentMatMul included.
    const training = { training: true } as const;
    expectGradientsMatchFiniteDifferences(decoder, () => {
      const cache = decoder.prepare(memory, training);
      const out = decoder.forward!(targetIn, cache, { ...training, targetMask });
      const loss = probeLoss(out.output);
      return (out.extraLoss ? tf.add(loss, tf.mul(out.extraLoss, 10)) : loss) as tf.Scalar;
    });
  } finally {
    tf.dispose([memory.states, memory.mask, ...memory.final, targetIn, targetMask]);
    decoder.dispose();
    await pinBackend('wasm');
  }
}
