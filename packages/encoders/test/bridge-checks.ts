/** Checks every bridge test runs: finite differences through the bridge and its memory. */
import { type Bridge, disposeTree, type Memory, type Module } from '@s2s/core';
import { expectGradientsMatchFiniteDifferences, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';

/**
 * Analytic gradients match central finite differences, on cpu at tiny sizes, for the
 * bridge's own parameters and for the memory it reads: the states (padded ones included,
 * whose gradient must be zero) and every final state.
 */
export async function expectBridgeGradientsMatch(
  create: (sizes: { memory: number; final: number[] }) => Bridge,
): Promise<void> {
  await pinBackend('cpu');
  const sizes = { memory: 3, final: [2, 3] };
  const bridge = create(sizes);
  const memory = randomMemory({ lengths: [4, 2], size: 3, finalSizes: sizes.final, seed: 8 });
  const states = tf.variable(memory.states);
  const final = memory.final.map((f) => tf.variable(f));
  const probe = tf.randomNormal([2, bridge.outputSize], 0, 1, 'float32', 9);
  // The memory as parameters, so the same check covers d loss / d memory.
  const withMemory: Module = {
    parameters: () =>
      new Map([
        ...bridge.parameters(),
        ['memory.states', states],
        ...final.map((f, l) => [`memory.final.${l}`, f] as const),
      ]),
    dispose: () => {},
  };
  const read: Memory = {
    states: states as tf.Tensor3D,
    mask: memory.mask,
    final: final as tf.Tensor2D[],
  };
  expectGradientsMatchFiniteDifferences(
    withMemory,
    () => {
      const loss = tf.sum(tf.mul(bridge.context(read, { training: false }), probe));
      // Touches every part of the memory with weight 0, so parts the bridge never reads get
      // a gradient too (zero), and the finite differences confirm it is zero.
      const untouched = tf.addN([states, ...final].map((t) => tf.sum(t)));
      return tf.add(loss, tf.mul(0, untouched)) as tf.Scalar;
    },
    { samplesPerParameter: 6 },
  );
  disposeTree([memory, states, final, probe]);
  bridge.dispose();
  await pinBackend('wasm');
}
