import {
  carryOverPadding,
  constant,
  gruGates,
  type Initializer,
  lstmGates,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** The recurrent cells an encoder can be built from. */
export type CellKind = 'lstm' | 'gru';

/** Every cell kind, for option validation. */
export const cellKinds: readonly CellKind[] = ['lstm', 'gru'];

/** A cell's recurrent state: the hidden state h, and the memory cell c of an LSTM. */
export interface CellState {
  readonly h: tf.Tensor2D;
  readonly c?: tf.Tensor2D;
}

/**
 * What differs between cells; the time loop around them is shared. Each step is
 * `step(x_t·W + b, h·U (+ b_h), state, mask_t)`: the input half comes precomputed for all
 * steps, the recurrent half is one fused matMul for all gates, and where `mask` is 0 the
 * step returns `state` unchanged ({@link carryState}).
 */
export interface Cell {
  /** Gates per hidden unit: the kernels are `[·, gates·H]`. */
  readonly gates: number;
  /** Whether h·U gets its own bias b_h (the GRU's reset gate scales it, so it matters). */
  readonly recurrentBias: boolean;
  /** Initial value of the input bias b. */
  bias(hidden: number): Initializer;
  initialState(batch: number, hidden: number): CellState;
  step(x: tf.Tensor2D, u: tf.Tensor2D, state: CellState, mask?: tf.Tensor): CellState;
}

/** The cells by name. */
export const cells: Readonly<Record<CellKind, Cell>> = {
  // Gate order [i, f, o, g]; a forget-gate bias of 1 (Jozefowicz et al. 2015).
  lstm: {
    gates: 4,
    recurrentBias: false,
    bias: (h) => (shape) =>
      tf.concat([tf.zeros([h]), constant(1)([h], 0), tf.zeros([2 * h])]).reshape([...shape]),
    initialState: (b, h) => ({ h: tf.zeros([b, h]), c: tf.zeros([b, h]) }),
    // The sum x + u and the carry over padding happen inside the cell: on wasm the whole
    // step is then one fused kernel.
    step: (x, u, state, mask) =>
      lstmGates(x, state.c!, { u, ...(mask && { carry: { h: state.h, mask } }) }),
  },
  // Gate order [r, z, n], reset-after form, as cuDNN and PyTorch compute it.
  gru: {
    gates: 3,
    recurrentBias: true,
    bias: () => zeros(),
    initialState: (b, h) => ({ h: tf.zeros([b, h]) }),
    step: (x, u, state, mask) => {
      const next = { h: gruGates(x, u, state.h) };
      return mask ? carryState(next, state, mask) : next;
    },
  },
};

/** The previous state wherever `mask` is 0, so padding never changes a state. */
export function carryState(next: CellState, prev: CellState, mask: tf.Tensor): CellState {
  const h = carryOverPadding(next.h, prev.h, mask);
  return next.c && prev.c ? { h, c: carryOverPadding(next.c, prev.c, mask) } : { h };
}
