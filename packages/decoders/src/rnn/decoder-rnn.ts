import {
  constant,
  dropout,
  lstmGates,
  normal,
  type ParameterSet,
  type RunOptions,
  uniform,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { gruGates } from './gru-gates.js';

/** The recurrent cell of every layer. */
export type CellKind = 'lstm' | 'gru';

/** Per-layer recurrent state, bottom layer first; `c`, the LSTM memory cell, only for LSTMs. */
export interface RnnState {
  readonly h: readonly tf.Tensor2D[];
  readonly c?: readonly tf.Tensor2D[];
}

/** Sizes of a {@link DecoderRnn}. */
export interface DecoderRnnSizes {
  /** Target vocabulary V. */
  readonly vocab: number;
  /** Embedding size E. */
  readonly embedding: number;
  /** State size H of every layer. */
  readonly hidden: number;
  /** Number of stacked layers L. */
  readonly layers: number;
  readonly cell: CellKind;
  /** Dropout rate on embeddings and between layers, in training. */
  readonly rate: number;
  /** Size X of what layer 0 reads each step besides y_{t−1} (C_t or h̃_{t−1}); 0 for nothing. */
  readonly feed: number;
}

interface Layer {
  /** Input side of the gates: y for layer 0 (hoisted out of the time loop), h^{l−1} above. */
  readonly inputKernel?: tf.Variable;
  /** LSTM: one kernel over [x_t; h_{t−1}], so a step is one matMul. */
  readonly kernel?: tf.Variable;
  /** Layer 0 of a GRU reading a per-step feed. */
  readonly feedKernel?: tf.Variable;
  readonly recurrentKernel?: tf.Variable;
  readonly bias: tf.Variable;
  /** GRU hidden-side bias b_h (inside the reset gate for n). */
  readonly recurrentBias?: tf.Variable;
}

/**
 * The target embedding and the stacked recurrent layers every decoder here shares. It adds
 * its parameters to the decoder's own set, so they are named `embedding` and
 * `layers.<l>.<kernel>` under the decoder.
 *
 * Layer 0 reads y_{t−1} (whose projection {@link DecoderRnn.inputHalf} computes for all
 * steps in one matMul) plus an optional per-step feed; layer l > 0 reads h^{l−1}_t.
 */
export class DecoderRnn {
  /** `[V, E]` target embedding. */
  readonly embedding: tf.Variable;
  /** Width of a layer's gate pre-activations, 4H (LSTM) or 3H (GRU). */
  readonly gateWidth: number;
  private readonly layers: Layer[] = [];

  constructor(
    params: ParameterSet,
    readonly sizes: DecoderRnnSizes,
  ) {
    const { vocab, embedding: e, hidden: h, cell, feed } = sizes;
    const g = cell === 'lstm' ? 4 * h : 3 * h;
    this.gateWidth = g;
    this.embedding = params.add('embedding', [vocab, e], normal(1 / Math.sqrt(e)));
    // U(±0.08) as Sutskever et al. (2014); an LSTM forget-gate bias of 1 (gate order i, f, o, g).
    const bias =
      cell === 'lstm'
        ? (shape: readonly number[]) =>
            tf.concat([tf.zeros([h]), constant(1)([h], 0), tf.zeros([2 * h])]).reshape([...shape])
        : zeros();
    for (let l = 0; l < sizes.layers; l++) {
      const name = (what: string) => `layers.${l}.${what}`;
      const add = (what: string, shape: number[], init = uniform(0.08)) =>
        params.add(name(what), shape, init);
      if (cell === 'lstm') {
        this.layers.push(
          l === 0
            ? {
                inputKernel: add('inputKernel', [e, g]),
                recurrentKernel: add('recurrentKernel', [feed + h, g]),
                bias: add('bias', [g], bias),
              }
            : { kernel: add('kernel', [2 * h, g]), bias: add('bias', [g], bias) },
        );
      } else {
        this.layers.push({
          inputKernel: add('inputKernel', [l === 0 ? e : h, g]),
          ...(l === 0 && feed > 0 ? { feedKernel: add('feedKernel', [feed, g]) } : {}),
          recurrentKernel: add('recurrentKernel', [h, g]),
          bias: add('bias', [g], bias),
          recurrentBias: add('recurrentBias', [g], zeros()),
        });
      }
    }
  }

  /** E[ids] with dropout in training: `[B]` → `[B, E]`, `[B, T]` → `[B, T, E]`. */
  embed(ids: tf.Tensor, options: RunOptions): tf.Tensor {
    return dropout(this.lookup(ids), this.sizes.rate, options);
  }

  /** E[ids] without dropout. */
  lookup(ids: tf.Tensor): tf.Tensor {
    return tf.gather(this.embedding, ids.dtype === 'int32' ? ids : ids.toInt());
  }

  /** Layer 0's input half W·y + b for `[…, E]` embeddings, as one matMul: `[…, G]`. */
  inputHalf(y: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const layer = this.layers[0]!;
      const lead = y.shape.slice(0, -1);
      const flat = y.reshape([-1, this.sizes.embedding]) as tf.Tensor2D;
      return affine(flat, layer.inputKernel!, layer.bias).reshape([...lead, this.gateWidth]);
    });
  }

  /** The state that starts from `h0` (one `[B, H]` per layer) with zero LSTM memory cells. */
  initialState(h0: readonly tf.Tensor2D[]): RnnState {
    const h = h0.map((t) => t.clone());
    return this.sizes.cell === 'lstm' ? { h, c: h0.map((t) => tf.zerosLike(t)) } : { h };
  }

  /** Top layer's h_t: what the decoder outputs or attends with. */
  top(state: RnnState): tf.Tensor2D {
    return state.h[state.h.length - 1]!;
  }

  /**
   * One step of every layer. `zx` is layer 0's precomputed input half (W·y_{t−1} + b, plus
   * anything constant), `feed` what layer 0 reads besides (C_t, h̃_{t−1}).
   */
  step(
    zx: tf.Tensor2D,
    feed: tf.Tensor2D | undefined,
    state: RnnState,
    options: RunOptions,
  ): RnnState {
    const h: tf.Tensor2D[] = [];
    const c: tf.Tensor2D[] = [];
    let below: tf.Tensor2D | undefined;
    for (const [l, layer] of this.layers.entries()) {
      const hPrev = state.h[l]!;
      if (this.sizes.cell === 'lstm') {
        // One matMul per layer and step: over [feed; h] for layer 0, [h^{l−1}; h] above.
        const z =
          l === 0
            ? tf.add(
                zx,
                tf.matMul(feed ? tf.concat([feed, hPrev], 1) : hPrev, layer.recurrentKernel!),
              )
            : affine(tf.concat([below!, hPrev], 1), layer.kernel!, layer.bias);
        const next = lstmGates(z as tf.Tensor2D, state.c![l]!);
        h.push(next.h);
        c.push(next.c);
      } else {
        let xz = l === 0 ? zx : affine(below!, layer.inputKernel!, layer.bias);
        if (l === 0 && feed) xz = tf.add(xz, tf.matMul(feed, layer.feedKernel!)) as tf.Tensor2D;
        const hz = affine(hPrev, layer.recurrentKernel!, layer.recurrentBias!);
        h.push(gruGates(xz, hz, hPrev));
      }
      // Dropout between layers (Zaremba et al. 2014): on what the next layer reads only.
      if (l < this.layers.length - 1) below = dropout(h[l]!, this.sizes.rate, options);
    }
    return this.sizes.cell === 'lstm' ? { h, c } : { h };
  }

  /**
   * Runs every layer over all T steps whose layer-0 input halves `zx` `[B, T, G]` are known
   * up front (no per-step feed). Returns each step's top h_t.
   */
  run(
    zx: tf.Tensor3D,
    state: RnnState,
    options: RunOptions,
  ): { tops: tf.Tensor2D[]; state: RnnState } {
    const tops: tf.Tensor2D[] = [];
    for (const zxt of tf.unstack(zx, 1) as tf.Tensor2D[]) {
      state = this.step(zxt, undefined, state, options);
      tops.push(this.top(state));
    }
    return { tops, state };
  }
}

/**
 * x·W + b as two kernels: tf.fused.matMul would be one call but wraps 2-D operands in
 * three reshapes, which costs more per step than the separate add.
 */
function affine(x: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D {
  return tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
}
