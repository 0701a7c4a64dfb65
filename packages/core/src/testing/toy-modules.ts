import * as tf from '@tensorflow/tfjs';
import type { Attention, AttentionResult } from '../contracts/attention.js';
import type { Decoder, DecoderStepOutput } from '../contracts/decoder.js';
import type { Bridge, Encoder } from '../contracts/encoder.js';
import type { Memory } from '../contracts/memory.js';
import type { RunOptions } from '../contracts/module.js';
import { glorotUniform, normal, zeros } from '../module/initializers.js';
import { ParameterSet } from '../module/parameters.js';
import { maskBias } from '../ops/masked-softmax.js';
import type { Registry } from '../registry/registry.js';
import { tidyTree } from '../tree/tensor-tree.js';

/**
 * Deliberately small implementations of the contracts, for testing the machinery around
 * them (Seq2Seq, checkpoints, training, search) and for plugin authors who need a partner
 * (a decoder under test needs *an* attention). Not for real models.
 */

/** Position-wise encoder: h_j = tanh(E[x_j]·W + b); final = masked mean of h. */
export class ToyEncoder implements Encoder {
  readonly finalSizes: readonly number[];
  private readonly params: ParameterSet;
  private readonly table: tf.Variable;
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    vocabSize: number,
    readonly outputSize: number,
    seed: number,
  ) {
    this.finalSizes = [outputSize];
    this.params = new ParameterSet(seed);
    this.table = this.params.add('table', [vocabSize, outputSize], normal(0.5));
    this.kernel = this.params.add('kernel', [outputSize, outputSize], glorotUniform());
    this.bias = this.params.add('bias', [outputSize], zeros());
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D, _options: RunOptions): Memory {
    return tidyTree(() => {
      const [b, s] = source.shape as [number, number];
      const x = tf.gather(this.table, source.toInt()).reshape([b * s, this.outputSize]);
      const m = mask.expandDims(2);
      const states = tf.mul(
        tf.tanh(tf.add(tf.matMul(x, this.kernel), this.bias)).reshape([b, s, -1]),
        m,
      ) as tf.Tensor3D;
      const final = tf.div(tf.sum(states, 1), tf.sum(m, 1)) as tf.Tensor2D;
      return { states, mask: mask.clone(), final: [final] };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Dot-product attention with a learned query projection: e_j = h_j · (W_q s). */
export class ToyAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;

  constructor(memorySize: number, querySize: number, seed: number) {
    this.contextSize = memorySize;
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [querySize, memorySize], glorotUniform());
  }

  prepare(memory: Memory): { values: tf.Tensor3D; bias: tf.Tensor2D } {
    return tidyTree(() => ({
      values: memory.states.clone(),
      bias: maskBias(memory.mask) as tf.Tensor2D,
    }));
  }

  attend(query: tf.Tensor2D, cache: { values: tf.Tensor3D; bias: tf.Tensor2D }): AttentionResult {
    return tidyTree(() => {
      const q = tf.matMul(query, this.queryKernel).expandDims(2);
      const scores = tf.add(tf.matMul(cache.values, q).squeeze([2]), cache.bias);
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = tf.matMul(weights.expandDims(1), cache.values).squeeze([1]) as tf.Tensor2D;
      return { context, weights };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** A tanh-RNN decoder over any attention: s_t = tanh(E[y]·W_y + [C_t; s_{t−1}]·W_s + b). */
export class ToyDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly attention: Attention;
  private readonly inputKernel: tf.Variable;
  private readonly stateKernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    vocabSize: number,
    private readonly hidden: number,
    attention: Attention,
    seed: number,
  ) {
    this.params = new ParameterSet(seed);
    this.attention = this.params.child('attention', attention);
    this.outputSize = hidden + attention.contextSize;
    this.embedding = this.params.add('embedding', [vocabSize, hidden], normal(0.5));
    this.inputKernel = this.params.add('inputKernel', [hidden, hidden], glorotUniform());
    this.stateKernel = this.params.add(
      'stateKernel',
      [attention.contextSize + hidden, hidden],
      glorotUniform(),
    );
    this.bias = this.params.add('bias', [hidden], zeros());
  }

  prepare(memory: Memory, _options: RunOptions): object {
    return tidyTree(() => ({
      attention: this.attention.prepare(memory),
      s0: tf.zeros([memory.states.shape[0], this.hidden]),
    }));
  }

  initialState(cache: { s0: tf.Tensor2D }, _options: RunOptions): { s: tf.Tensor2D } {
    return { s: cache.s0.clone() };
  }

  step(
    prev: tf.Tensor1D,
    state: { s: tf.Tensor2D },
    cache: { attention: object },
    _options: RunOptions,
  ): DecoderStepOutput {
    return tidyTree(() => {
      const att = this.attention.attend(state.s, cache.attention);
      const y = tf.matMul(tf.gather(this.embedding, prev.toInt()), this.inputKernel);
      const s = tf.tanh(
        tf.add(
          tf.add(y, tf.matMul(tf.concat([att.context, state.s], 1), this.stateKernel)),
          this.bias,
        ),
      ) as tf.Tensor2D;
      return {
        output: tf.concat([s, att.context], 1) as tf.Tensor2D,
        state: { s },
        weights: att.weights,
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

/** Bridge: c = tanh(W · masked mean of the states). */
export class ToyBridge implements Bridge {
  private readonly params: ParameterSet;
  private readonly kernel: tf.Variable;

  constructor(
    memorySize: number,
    readonly outputSize: number,
    seed: number,
  ) {
    this.params = new ParameterSet(seed);
    this.kernel = this.params.add('kernel', [memorySize, outputSize], glorotUniform());
  }

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const m = memory.mask.expandDims(2);
      const mean = tf.div(tf.sum(tf.mul(memory.states, m), 1), tf.sum(m, 1));
      return tf.tanh(tf.matMul(mean, this.kernel)) as tf.Tensor2D;
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
 * Registers the toy modules as encoder `toy`, attention `toy`, bridge `toy` and decoder
 * `toy` in a registry (a fresh `new Registry()` in tests, so the global one stays clean).
 * Options: encoder `{ size }`, bridge `{ size }` (default: the query size), decoder
 * `{ hidden, attention }`. Idempotent: test files that share one process (and the global
 * registry) may each call it, in any order.
 */
export function registerToyPlugins(registry: Registry): void {
  if (registry.has('encoder', 'toy')) return;
  registry.register({
    kind: 'encoder',
    name: 'toy',
    create: (o, c) => new ToyEncoder(c.sizes.sourceVocab!, (o.size as number) ?? 8, c.seed),
  });
  registry.register({
    kind: 'attention',
    name: 'toy',
    create: (_o, c) => new ToyAttention(c.sizes.memory!, c.sizes.query!, c.seed),
  });
  registry.register({
    kind: 'bridge',
    name: 'toy',
    create: (o, c) => new ToyBridge(c.sizes.memory!, (o.size as number) ?? c.sizes.query!, c.seed),
  });
  registry.register({
    kind: 'decoder',
    name: 'toy',
    create: (o, c) => {
      const hidden = (o.hidden as number) ?? 8;
      const attention = c.build(
        'attention',
        (o.attention as { name: string }) ?? { name: 'toy' },
        'attention',
        {
          memory: c.sizes.memory!,
          query: hidden,
        },
      );
      return new ToyDecoder(c.sizes.targetVocab!, hidden, attention, c.seed);
    },
  });
}
