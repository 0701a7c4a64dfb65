import { type Module, ParameterSet, uniform, zeros } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { type CellKind, type CellState, carryState, cells } from './cells.js';

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
 * directions stacked on the batch axis so each step is one batched `[2, B, H] × [2, H, G]`
 * matMul and one call of the cell. Padded steps keep the state, so the backward state
 * stays at its initial value until each row's last real position, and the final states
 * are the forward state there and the backward state after reading position 0.
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
  run(x: tf.Tensor3D, mask: tf.Tensor2D): { states: tf.Tensor3D; final: tf.Tensor2D } {
    return tf.tidy(() => {
      const [b, s, i] = x.shape;
      const cell = cells[this.options.cell];
      const d = this.directions.length;
      const h = this.hidden;
      const g = cell.gates * h;
      const both = (
        pick: (dir: Direction) => tf.Tensor,
        join: (ts: tf.Tensor[]) => tf.Tensor,
      ): tf.Tensor => (d === 1 ? pick(this.directions[0]!) : join(this.directions.map(pick)));
      const w = both(
        (k) => k.inputKernel,
        (ks) => tf.concat(ks, 1),
      );
      const bias = both(
        (k) => k.bias,
        (ks) => tf.concat(ks),
      );
      // [B·S, D·G]: the input half of every gate, every step, every direction.
      const zx = tf.add(tf.matMul(x.reshape([b * s, i]), w), bias).reshape([b, s, d * g]);
      let steps: tf.Tensor3D = zx as tf.Tensor3D;
      let masks: tf.Tensor2D = mask;
      if (d === 2) {
        const [forward, backward] = tf.split(zx, 2, 2);
        steps = tf.concat([forward!, tf.reverse(backward!, 1)], 0) as tf.Tensor3D;
        masks = tf.concat([mask, tf.reverse(mask, 1)], 0) as tf.Tensor2D;
      }
      const xs = tf.unstack(steps, 1) as tf.Tensor2D[];
      const ms = tf.unstack(masks.expandDims(2), 1) as tf.Tensor2D[];
      const u = both(
        (k) => k.recurrentKernel,
        (ks) => tf.stack(ks),
      );
      const ub = cell.recurrentBias
        ? both(
            (k) => k.recurrentBias!,
            (ks) => tf.stack(ks).expandDims(1),
          )
        : undefined;
      const recurrent = (hPrev: tf.Tensor2D): tf.Tensor2D => {
        if (d === 1) {
          return (
            ub ? tf.fused.matMul({ a: hPrev, b: u, bias: ub }) : tf.matMul(hPrev, u)
          ) as tf.Tensor2D;
        }
        const product = tf.matMul(hPrev.reshape([d, b, h]), u);
        return (ub ? tf.add(product, ub) : product).reshape([d * b, g]) as tf.Tensor2D;
      };
      let state: CellState = cell.initialState(d * b, h);
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < s; t++) {
        state = carryState(cell.step(xs[t]!, recurrent(state.h), state), state, ms[t]!);
        outputs.push(state.h);
      }
      const all = tf.stack(outputs, 1) as tf.Tensor3D;
      if (d === 1) return { states: all, final: state.h };
      const [forward, reversed] = tf.split(all, 2, 0) as [tf.Tensor3D, tf.Tensor3D];
      const backward = tf.reverse(reversed, 1);
      const [forwardFinal, backwardFinal] = tf.split(state.h, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
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
