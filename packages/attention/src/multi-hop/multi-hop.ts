import {
  type Attention,
  type AttentionResult,
  attentionFactory,
  glorotUniform,
  type Memory,
  maskBias,
  ParameterSet,
  parseOptions,
  tidyTree,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { projectStates } from '../alignment.js';
import { decoderSizes } from '../sizes.js';
import {
  type AttentionSupervision,
  attentionSupervisionOptions,
  type ResolvedSupervision,
  supervised,
  supervisionTargets,
} from './attention-supervision.js';

/** How the hops share their parameters (Sukhbaatar et al. 2015, §2.2). */
export type HopTying = 'adjacent' | 'layer';

/**
 * How the controller moves between hops: `sum`, u^{k+1} = u^k + o^k; `linear`,
 * H·u^k + o^k (Sukhbaatar et al.'s layer-wise update); `relu`, ReLU(W_k [u^k; o^k] + b_k),
 * the untied memory update of DMN+ (Xiong et al. 2016), which lets a hop combine what it
 * read with what it knew non-linearly.
 */
export type HopUpdate = 'sum' | 'linear' | 'relu';

/** Options of {@link MultiHopAttention}. */
export interface MultiHopAttentionOptions {
  /** Size H of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size Q of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size d of the controller state u and of every key and value. Default 64. */
  readonly size?: number;
  /** Number of hops K. Default 3. */
  readonly hops?: number;
  /**
   * `adjacent`: hop k's values are hop k+1's keys (K+1 projections). `layer`: one key and
   * one value projection for every hop. Default `adjacent`.
   */
  readonly tying?: HopTying;
  /** Default `linear` with `layer` tying, else `sum` (as in Sukhbaatar et al.). */
  readonly update?: HopUpdate;
  /** Which alignment `weights` reports: the `mean` over hops, or the `last` hop's. Default `mean`. */
  readonly weights?: 'mean' | 'last';
  /** Supervises each hop's alignment by supporting positions; default off. */
  readonly supervision?: AttentionSupervision;
}

/** The options `{ name: 'multi-hop', … }` takes in a model config, with their defaults. */
export const multiHopOptions = z.strictObject({
  size: z
    .int()
    .positive()
    .default(64)
    .describe('Size d of the controller state u and of every key and value'),
  hops: z.int().positive().default(3).describe('Number of hops K'),
  tying: z
    .enum(['adjacent', 'layer'])
    .default('adjacent')
    .describe(
      "'adjacent': hop k's values are hop k+1's keys; 'layer': one key and one value projection for every hop",
    ),
  update: z
    .enum(['sum', 'linear', 'relu'])
    .optional()
    .describe(
      "How the controller moves between hops; default 'linear' with 'layer' tying, else 'sum'",
    ),
  weights: z
    .enum(['mean', 'last'])
    .default('mean')
    .describe("Which alignment 'weights' reports: the mean over hops, or the last hop's"),
  supervision: attentionSupervisionOptions
    .optional()
    .describe("Supervises each hop's alignment by supporting positions; default off"),
});

const constructorOptions = multiHopOptions.extend(decoderSizes);
const owner = 'multi-hop attention';

/** What {@link MultiHopAttention} precomputes per source. */
export interface MultiHopCache {
  /** K tensors `[B, d, S]`: each hop's keys (A^k h_j)ᵀ, transposed once. */
  readonly keys: readonly tf.Tensor3D[];
  /** K tensors `[B, S, d]`: each hop's values C^k h_j. */
  readonly values: readonly tf.Tensor3D[];
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
  /** `[B, K, S]` supervision targets of each hop, when the memory carries them. */
  readonly targets?: tf.Tensor3D;
}

/**
 * Multi-hop attention, the read of end-to-end memory networks (Sukhbaatar et al. 2015)
 * with the decoder state as the question: u¹ = W_q s, then for each hop k
 * p^k = softmax(u^k · A^k h_j) over real positions, o^k = Σ_j p^k_j C^k h_j and
 * u^{k+1} = u^k + o^k (or H u^k + o^k, or ReLU(W_k [u^k; o^k] + b_k)). The context is
 * u^{K+1}, of size d. Keys and values of every hop are computed once per source; a step
 * costs two small matMuls a hop (three with a `linear` or `relu` update).
 *
 * With `supervision`, each hop's alignment is also trained towards the supporting
 * positions the memory names (see {@link supervised}).
 */
export class MultiHopAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;
  /** `adjacent`: K+1 projections; `layer`: [A, C]. */
  private readonly projections: tf.Variable[];
  private readonly update: HopUpdate;
  /** `linear`: [H]; `relu`: [W_0, b_0, W_1, b_1, …]. */
  private readonly updates: tf.Variable[] = [];
  private readonly hops: number;
  private readonly tying: HopTying;
  private readonly report: 'mean' | 'last';
  private readonly supervision?: ResolvedSupervision;

  constructor(options: MultiHopAttentionOptions, seed: number) {
    const o = parseOptions(owner, constructorOptions, options);
    const { memorySize: m, querySize: q, size: d } = o;
    this.hops = o.hops;
    this.tying = o.tying;
    this.update = o.update ?? (this.tying === 'layer' ? 'linear' : 'sum');
    this.report = o.weights;
    if (o.supervision) this.supervision = o.supervision;
    this.contextSize = d;
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [q, d], glorotUniform());
    if (this.tying === 'adjacent') {
      this.projections = Array.from({ length: this.hops + 1 }, (_, k) =>
        this.params.add(`projection.${k}`, [m, d], glorotUniform()),
      );
    } else {
      this.projections = [
        this.params.add('keyKernel', [m, d], glorotUniform()),
        this.params.add('valueKernel', [m, d], glorotUniform()),
      ];
    }
    if (this.update === 'linear') {
      this.updates.push(this.params.add('updateKernel', [d, d], glorotUniform()));
    } else if (this.update === 'relu') {
      for (let k = 0; k < this.hops; k++) {
        this.updates.push(this.params.add(`update.${k}.kernel`, [2 * d, d], glorotUniform()));
        this.updates.push(this.params.add(`update.${k}.bias`, [d], zeros()));
      }
    }
  }

  prepare(memory: Memory): MultiHopCache {
    return tidyTree(() => {
      const projected = this.projections.map((p) => projectStates(memory.states, p as tf.Tensor2D));
      const hop = (k: number) =>
        this.tying === 'adjacent'
          ? { key: projected[k]!, value: projected[k + 1]! }
          : { key: projected[0]!, value: projected[1]! };
      const hops = Array.from({ length: this.hops }, (_, k) => hop(k));
      const targets = this.supervision
        ? supervisionTargets(this.supervision, memory, this.hops)
        : undefined;
      return {
        keys: hops.map((h) => tf.transpose(h.key, [0, 2, 1]) as tf.Tensor3D),
        values: hops.map((h) => h.value.clone()),
        bias: maskBias(memory.mask) as tf.Tensor2D,
        ...(targets ? { targets } : {}),
      };
    });
  }

  attend(query: tf.Tensor2D, cache: MultiHopCache): AttentionResult {
    return tidyTree(() => {
      const [b, s] = cache.bias.shape;
      const r = this.read(tf.matMul(query, this.queryKernel).reshape([b, 1, -1]), cache);
      return {
        context: r.context.reshape([b, -1]) as tf.Tensor2D,
        weights: r.weights.reshape([b, s]) as tf.Tensor2D,
      };
    });
  }

  attendAll(
    queries: tf.Tensor3D,
    cache: MultiHopCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
    return tidyTree(() => {
      const [b, t] = queries.shape;
      const u = tf.matMul(queries.reshape([b * t, -1]), this.queryKernel).reshape([b, t, -1]);
      return this.read(u as tf.Tensor3D, cache);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** The K hops from controller states u¹ `[B, T, d]` (T = 1 for one step). */
  private read(
    u1: tf.Tensor3D,
    cache: MultiHopCache,
  ): { context: tf.Tensor3D; weights: tf.Tensor3D } {
    const [b, s] = cache.bias.shape;
    const bias = cache.bias.reshape([b, 1, s]);
    let u = u1;
    const alignments: tf.Tensor3D[] = [];
    for (let k = 0; k < this.hops; k++) {
      let p = tf.softmax(tf.add(tf.matMul(u, cache.keys[k]!), bias)) as tf.Tensor3D;
      if (cache.targets && this.supervision) {
        const target = cache.targets.slice([0, k, 0], [b, 1, s]);
        p = supervised(p, target, this.supervision.weight);
      }
      alignments.push(p);
      const o = tf.matMul(p, cache.values[k]!) as tf.Tensor3D;
      u = this.next(u, o, k);
    }
    const weights =
      this.report === 'last' || this.hops === 1
        ? alignments[this.hops - 1]!
        : (tf.div(tf.addN(alignments), this.hops) as tf.Tensor3D);
    return { context: u, weights };
  }

  /** u^{k+1} from u^k and o^k `[B, T, d]`. */
  private next(u: tf.Tensor3D, o: tf.Tensor3D, k: number): tf.Tensor3D {
    if (this.update === 'sum') return tf.add(u, o) as tf.Tensor3D;
    if (this.update === 'linear') {
      return tf.add(projectStates(u, this.updates[0] as tf.Tensor2D), o) as tf.Tensor3D;
    }
    const both = projectStates(
      tf.concat([u, o], 2) as tf.Tensor3D,
      this.updates[2 * k] as tf.Tensor2D,
    );
    return tf.relu(tf.add(both, this.updates[2 * k + 1]!)) as tf.Tensor3D;
  }
}

/**
 * Registry factory: `{ name: 'multi-hop', size?, hops?, tying?, update?, weights?,
 * supervision? }` (see {@link multiHopOptions}); sizes come from the decoder.
 */
export const createMultiHopAttention = attentionFactory(
  owner,
  (options: MultiHopAttentionOptions, seed) => new MultiHopAttention(options, seed),
);
