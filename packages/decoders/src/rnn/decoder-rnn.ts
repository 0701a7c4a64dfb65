import {
  constant,
  dropout,
  gruGates,
  lstmGates,
  normal,
  type ParameterSet,
  type RunOptions,
  recurrentMatMul,
  uniform,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** The recurrent cell of every layer. */
export type CellKind = 'lstm' | 'gru';

/** Per-layer recurrent state, bottom layer first; `c`, the LSTM memory cell, only for LSTMs. */
export interface RnnState {
  readonly h: readonly tf.Tensor2D[];
  readonly c?: readonly tf.Tensor2D[];
}

/** One step of every layer: see {@link DecoderRnn.stepper}. */
export type RnnStep = (zx: tf.Tensor2D, feed: tf.Tensor2D | undefined, state: RnnState) => RnnState;

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
      return tf
        .add(tf.matMul(flat, layer.inputKernel!), layer.bias)
        .reshape([...lead, this.gateWidth]);
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
   * One step of every layer as a function of layer 0's precomputed input half `zx`
   * (W·y_{t−1} + b, plus anything constant) and what layer 0 reads besides (`feed`: C_t,
   * h̃_{t−1}). Build it once per pass, outside the time loop: its matMuls are core's
   * `recurrentMatMul`, which in training transposes each kernel once for every step's
   * backward product instead of once per step. Biases are separate adds: tf.fused.matMul
   * wraps 2-D operands in three reshapes, more kernels than it saves.
   */
  stepper(options: RunOptions): RnnStep {
    const mm = (w: tf.Variable | undefined) => (w ? recurrentMatMul(w, options) : undefined);
    const kernels = this.layers.map((layer, l) => ({
      recurrent: mm(layer.recurrentKernel),
      kernel: mm(layer.kernel),
      input: l > 0 ? mm(layer.inputKernel) : undefined,
      feed: mm(layer.feedKernel),
    }));
    const last = this.layers.length - 1;
    return (zx, feed, state) => {
      const h: tf.Tensor2D[] = [];
      const c: tf.Tensor2D[] = [];
      let below: tf.Tensor2D | undefined;
      for (const [l, layer] of this.layers.entries()) {
        const k = kernels[l]!;
        const hPrev = state.h[l]!;
        if (this.sizes.cell === 'lstm') {
          // One matMul per layer and step: over [feed; h] for layer 0, [h^{l−1}; h] above.
          // Layer 0's z = zx + u is added inside the cell (on wasm, its one fused kernel).
          const next =
            l === 0
              ? lstmGates(zx, state.c![l]!, {
                  u: k.recurrent!(feed ? tf.concat([feed, hPrev], 1) : hPrev),
                })
              : lstmGates(
                  tf.add(k.kernel!(tf.concat([below!, hPrev], 1)), layer.bias) as tf.Tensor2D,
                  state.c![l]!,
                );
          h.push(next.h);
          c.push(next.c);
        } else {
          let xz = l === 0 ? zx : (tf.add(k.input!(below!), layer.bias) as tf.Tensor2D);
          if (l === 0 && feed) xz = tf.add(xz, k.feed!(feed)) as tf.Tensor2D;
          const hz = tf.add(k.recurrent!(hPrev), layer.recurrentBias!) as tf.Tensor2D;
          h.push(gruGates(xz, hz, hPrev));
        }
        // Dropout between layers (Zaremba et al. 2014): on what the next layer reads only.
        if (l < last) below = dropout(h[l]!, this.sizes.rate, options);
      }
      return this.sizes.cell === 'lstm' ? { h, c } : { h };
    };
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
    const step = this.stepper(options);
    const tops: tf.Tensor2D[] = [];
    for (const zxt of tf.unstack(zx, 1) as tf.Tensor2D[]) {
      state = step(zxt, undefined, state);
      tops.push(this.top(state));
    }
    return { tops, state };
  }
}
