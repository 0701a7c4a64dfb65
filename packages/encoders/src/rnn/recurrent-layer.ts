import {
  type Module,
  ParameterSet,
  type RunOptions,
  recurrentMatMul,
  uniform,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { type CellKind, type CellState, cells } from './cells.js';

/** How a bidirectional layer combines its two directions: `[→h; ←h]` or →h + ←h. */
export type Merge = 'concat' | 'sum';

/** Options of {@link RecurrentLayer}. */
export interface RecurrentLayerOptions {
  readonly cell: CellKind;
  /** Size I of each input vector. */
  readonly inputSize: number;
  /** Size H of each direction's state. */
  readonly hiddenSize: number;
  /** `false` for one forward direction, else how the two directions are combined. */
  readonly bidirectional: false | Merge;
}

/** One direction's parameters. */
interface Direction {
  readonly inputKernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;
  readonly recurrentBias?: tf.Variable;
}

/**
 * One recurrent layer, run over right-padded `[B, S, I]` inputs in one or two directions.
 *
 * The input half of every gate, x_t·W + b, is one matMul for all S steps and both
 * directions before the time loop. The backward direction reads the sequence reversed,
 * so one loop runs both: step t is position t forwards and S−1−t backwards, the two
 * directions stacked on the batch axis, so each step is one `[B, H] × [H, G]` matMul per
 * direction and one call of the cell for both. Padded steps keep the state, so the
 * backward state stays at its initial value until each row's last real position, and
 * the final states are the forward state there and the backward state after reading
 * position 0.
 */
export class RecurrentLayer implements Module {
  /** Size of each output vector: 2H for `concat`, else H. */
  readonly outputSize: number;
  private readonly params: ParameterSet;
  private readonly directions: Direction[];
  private readonly hidden: number;

  constructor(
    private readonly options: RecurrentLayerOptions,
    seed: number,
  ) {
    const cell = cells[options.cell];
    const h = options.hiddenSize;
    const g = cell.gates * h;
    this.hidden = h;
    this.params = new ParameterSet(seed);
    const names = options.bidirectional ? ['forward', 'backward'] : ['forward'];
    this.directions = names.map((d) => ({
      inputKernel: this.params.add(`${d}.inputKernel`, [options.inputSize, g], uniform(0.08)),
      recurrentKernel: this.params.add(`${d}.recurrentKernel`, [h, g], uniform(0.08)),
      bias: this.params.add(`${d}.bias`, [g], cell.bias(h)),
      ...(cell.recurrentBias && {
        recurrentBias: this.params.add(`${d}.recurrentBias`, [g], zeros()),
      }),
    }));
    this.outputSize = options.bidirectional === 'concat' ? 2 * h : h;
  }

  /**
   * `[B, S, I]` inputs and their `[B, S]` mask → `[B, S, outputSize]` states and the
   * `[B, outputSize]` final state. States at padded positions are unspecified.
   */
  run(
    x: tf.Tensor3D,
    mask: tf.Tensor2D,
    options: RunOptions,
  ): { states: tf.Tensor3D; final: tf.Tensor2D } {
    return tf.tidy(() => {
      const [b, s, i] = x.shape;
      const cell = cells[this.options.cell];
      const d = this.directions.length;
      const g = cell.gates * this.hidden;
      const join = (pick: (k: Direction) => tf.Tensor, axis: number) =>
        d === 1 ? pick(this.directions[0]!) : tf.concat(this.directions.map(pick), axis);
      // [B·S, D·G]: the input half of every gate, every step, every direction, in one matMul.
      const zx = tf
        .add(
          tf.matMul(
            x.reshape([b * s, i]),
            join((k) => k.inputKernel, 1),
          ),
          join((k) => k.bias, 0),
        )
        .reshape([b, s, d * g]);
      // The backward direction's step t is position S−1−t, so reversing the lists of
      // slices reverses time with no kernel. (Copies: reversing the array tf.unstack
      // returns in place would reorder the op's outputs on the gradient tape too.)
      const forwardMasks = tf.unstack(mask.expandDims(2), 1) as tf.Tensor2D[];
      let xs: tf.Tensor2D[];
      let ms = forwardMasks;
      if (d === 1) xs = tf.unstack(zx, 1) as tf.Tensor2D[];
      else {
        const [f, r] = (tf.split(zx, 2, 2) as tf.Tensor3D[]).map(
          (z) => tf.unstack(z, 1) as tf.Tensor2D[],
        );
        const backward = [...r!].reverse();
        const backwardMasks = [...forwardMasks].reverse();
        xs = f!.map((x, t) => tf.concat([x, backward[t]!], 0) as tf.Tensor2D);
        ms = forwardMasks.map((m, t) => tf.concat([m, backwardMasks[t]!], 0) as tf.Tensor2D);
      }
      // h·U (+ b_h) per direction; recurrentMatMul transposes U once per pass for the
      // backward products instead of once per step.
      const products = this.directions.map((k) => {
        const times = recurrentMatMul(k.recurrentKernel, options);
        const bias = k.recurrentBias;
        return bias ? (h: tf.Tensor2D) => tf.add(times(h), bias) as tf.Tensor2D : times;
      });
      // outputs[k][t]: direction k's state after its step t.
      const outputs: tf.Tensor2D[][] = this.directions.map(() => []);
      let state: CellState = cell.initialState(d * b, this.hidden);
      for (let t = 0; t <= s; t++) {
        // Both directions ride on the batch axis through the cell, but each gets its own
        // 2-D matMul: wasm runs a batched (3-D) one about 100× slower.
        const parts = d === 1 ? [state.h] : (tf.split(state.h, 2, 0) as tf.Tensor2D[]);
        if (t > 0) parts.forEach((p, k) => outputs[k]!.push(p));
        if (t === s) break;
        const u = parts.map((p, k) => products[k]!(p));
        const recurrent = d === 1 ? u[0]! : (tf.concat(u, 0) as tf.Tensor2D);
        state = cell.step(xs[t]!, recurrent, state, ms[t]!);
      }
      if (d === 1) return { states: tf.stack(outputs[0]!, 1) as tf.Tensor3D, final: state.h };
      const [f, r] = outputs as [tf.Tensor2D[], tf.Tensor2D[]];
      // The backward direction's last step read position 0: its final state.
      const [forwardFinal, backwardFinal] = [f.at(-1)!, r.at(-1)!];
      const forward = tf.stack(f, 1) as tf.Tensor3D;
      const backward = tf.stack([...r].reverse(), 1) as tf.Tensor3D;
      return this.options.bidirectional === 'concat'
        ? {
            states: tf.concat([forward, backward], 2) as tf.Tensor3D,
            final: tf.concat([forwardFinal, backwardFinal], 1) as tf.Tensor2D,
          }
        : {
            states: tf.add(forward, backward) as tf.Tensor3D,
            final: tf.add(forwardFinal, backwardFinal) as tf.Tensor2D,
          };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
