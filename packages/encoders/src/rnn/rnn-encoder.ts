import {
  assertShape,
  type BuildContext,
  deriveSeed,
  dropout,
  type Encoder,
  type Memory,
  ParameterSet,
  parseOptions,
  type RunOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import {
  assertSource,
  createInputLayer,
  type InputLayer,
  type SourceInput,
  sourceInput,
} from '../embedding/input-layer.js';
import type { CellKind } from './cells.js';
import { type Merge, RecurrentLayer } from './recurrent-layer.js';
import { rnnEncoderOptions } from './rnn-encoder-options.js';

/** Options of {@link RnnEncoder}. */
export interface RnnEncoderOptions {
  readonly cell: CellKind;
  /** Source vocabulary size, for token ids. Give this or `features`. */
  readonly vocabSize?: number;
  /** Floats per frame, for `[B, S, F]` feature frames. Give this or `vocabSize`. */
  readonly features?: number;
  /** Size E of the embedded (or projected) inputs. Default 64. */
  readonly embeddingSize?: number;
  /** Size H of each direction's state. Default 128. */
  readonly hiddenSize?: number;
  /** Stacked recurrent layers. Default 1. */
  readonly layers?: number;
  /** `false` (forwards only), `'concat'` ([→h; ←h], size 2H) or `'sum'` (→h + ←h). Default false. */
  readonly bidirectional?: false | Merge;
  /** Add each layer's input to its output, from the second layer on. Default false. */
  readonly residual?: boolean;
  /** Halve the time axis before every layer above the first (Chan et al. 2016). Default false. */
  readonly pyramidal?: boolean;
  /** Dropout on the embedded inputs and on every layer's outputs, in training. Default 0. */
  readonly dropout?: number;
}

/**
 * A stack of recurrent layers (LSTM or GRU cells, one or two directions) over embedded
 * tokens or projected feature frames: the encoder behind `lstm`, `gru` and the pyramidal
 * encoders. Dropout sits on the embedded inputs and between layers (Zaremba et al. 2014);
 * `residual` adds each layer's input to its output from the second layer on (Wu et al.
 * 2016); `pyramidal` concatenates neighbouring frames before each layer above the first,
 * halving the time axis and the mask. `Memory.final` holds each layer's final state
 * (before any residual), bottom first.
 */
export class RnnEncoder implements Encoder {
  readonly outputSize: number;
  readonly finalSizes: readonly number[];
  private readonly params: ParameterSet;
  private readonly input: SourceInput;
  private readonly front: InputLayer;
  private readonly layers: RecurrentLayer[];
  private readonly residual: boolean;
  private readonly pyramidal: boolean;
  private readonly rate: number;
  private readonly owner: string;

  constructor(options: RnnEncoderOptions, seed: number) {
    const owner = `${options.pyramidal ? 'pyramidal ' : ''}${options.cell} encoder`;
    const o = parseOptions(owner, rnnEncoderOptions, options);
    const { cell, embeddingSize: e, hiddenSize: h, layers: depth, bidirectional: merge } = o;
    this.rate = o.dropout;
    this.residual = o.residual;
    this.pyramidal = o.pyramidal;
    this.owner = owner;
    this.params = new ParameterSet(seed);
    const front = createInputLayer(owner, o, e, this.rate, seed);
    this.front = this.params.child(front.name, front.layer);
    this.input = front.input;
    this.outputSize = merge === 'concat' ? 2 * h : h;
    this.layers = Array.from({ length: depth }, (_, l) => {
      const inputSize = l === 0 ? e : this.pyramidal ? 2 * this.outputSize : this.outputSize;
      const layer = new RecurrentLayer(
        { cell, inputSize, hiddenSize: h, bidirectional: merge },
        deriveSeed(seed, `layers.${l}`),
      );
      return this.params.child(`layers.${l}`, layer);
    });
    this.finalSizes = this.layers.map((layer) => layer.outputSize);
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D, options: RunOptions): Memory {
    assertSource(this.owner, source, this.input);
    assertShape(`${this.owner} mask`, mask, [source.shape[0]!, source.shape[1]!], ['B', 'S']);
    return tidyTree((): Memory => {
      let x = this.front.embed(source, options) as tf.Tensor3D;
      let m = mask;
      const final: tf.Tensor2D[] = [];
      this.layers.forEach((layer, l) => {
        if (l > 0 && this.pyramidal) [x, m] = pairFrames(x, m);
        const out = layer.run(x, m, options);
        final.push(out.final);
        const y = this.residual && l > 0 ? (tf.add(out.states, x) as tf.Tensor3D) : out.states;
        x = dropout(y, this.rate, options);
      });
      return { states: x, mask: m === mask ? mask.clone() : m, final };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * The options a registry factory gives an RNN encoder: its parsed options plus the input
 * (token ids or frames) that the model config's `source` names.
 */
export function encoderConfig<O extends object>(
  owner: string,
  options: O,
  context: BuildContext,
): O & SourceInput {
  return { ...options, ...sourceInput(owner, context.sizes) };
}

/**
 * One pyramid step (Chan et al. 2016): frames 2i and 2i+1 become one frame of twice the
 * size, and a pair is real iff its first frame is. Padded frames are zeroed first and an
 * odd length gets one zero frame, so the partner of a row's last odd frame is always 0,
 * whatever the padding held and however wide the batch is.
 */
export function pairFrames(x: tf.Tensor3D, mask: tf.Tensor2D): [tf.Tensor3D, tf.Tensor2D] {
  const [b, s, h] = x.shape;
  const half = Math.ceil(s / 2);
  let real = tf.mul(x, mask.expandDims(2)) as tf.Tensor3D;
  if (s % 2 === 1)
    real = tf.pad(real, [
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
  const firsts = tf.stridedSlice(mask, [0, 0], [b, s], [1, 2]) as tf.Tensor2D;
  return [real.reshape([b, half, 2 * h]), firsts];
}
