/**
 * The finite-difference harness every attention test uses: gradients with respect to the
 * module's parameters and to its inputs (the query and the encoder states, through which
 * the decoder and the encoder train), over a few steps so recurrent state is covered.
 */
import { type Attention, type AttentionResult, disposeTree, type Memory } from '@s2s/core';
import { expectGradientsMatchFiniteDifferences, lengthMask, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';

/**
 * Checks d loss / d (parameters, query, states) against central differences on cpu, then
 * disposes `attention`.
 */
export async function expectAttentionGradients(
  attention: Attention,
  sizes: { readonly memory: number; readonly query: number },
  options: {
    /** Steps attended in a row, threading state. Default 2. */
    readonly steps?: number;
    /** Real lengths of the rows; the first is the width. Default [3, 2]. */
    readonly lengths?: readonly number[];
    /** A further loss term per step, e.g. a coverage loss. */
    readonly extra?: (result: AttentionResult, state: unknown) => tf.Scalar;
  } = {},
): Promise<void> {
  await pinBackend('cpu');
  const steps = options.steps ?? 2;
  const lengths = options.lengths ?? [3, 2];
  const [b, s] = [lengths.length, lengths[0]!];
  const states = tf.variable(tf.randomNormal([b, s, sizes.memory], 0, 1, 'float32', 11));
  const queries = tf.variable(tf.randomNormal([b, steps, sizes.query], 0, 1, 'float32', 12));
  const memory: Memory = { states: states as tf.Tensor3D, mask: lengthMask(lengths, s), final: [] };
  const probe = tf.randomNormal([b, steps, attention.contextSize], 0, 1, 'float32', 13);
  const inputs = new Map([...attention.parameters(), ['query', queries], ['states', states]]);
  expectGradientsMatchFiniteDifferences(
    { parameters: () => inputs, dispose: () => undefined },
    () => {
      const cache = attention.prepare(memory);
      let state = attention.initialState?.(cache);
      const parts: tf.Scalar[] = [];
      const qs = tf.unstack(queries, 1) as tf.Tensor2D[];
      const ps = tf.unstack(probe, 1);
      qs.forEach((q, t) => {
        const r = attention.attend(q, cache, state);
        parts.push(tf.sum(tf.mul(r.context, ps[t]!)));
        if (options.extra) parts.push(options.extra(r, r.state));
        state = r.state;
      });
      return tf.addN(parts) as tf.Scalar;
    },
    { samplesPerParameter: 4 },
  );
  disposeTree([states, queries, memory.mask, probe]);
  attention.dispose();
  await pinBackend('wasm');
}
