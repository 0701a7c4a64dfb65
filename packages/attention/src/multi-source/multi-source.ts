import {
  type Attention,
  type AttentionCache,
  type AttentionResult,
  type AttentionState,
  glorotUniform,
  type Memory,
  ParameterSet,
  parseOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { flatMemory, mainShare, sourceMemory } from './source-memory.js';

/**
 * How the sources' attentions are combined (Libovický and Helcl 2017): `concat` joins the
 * per-source contexts, `hierarchical` weighs them with a second attention, `flat` runs one
 * attention over all sources' states concatenated in time. `cascade` joins the contexts
 * too, but attends to the further sources first and queries the main source with
 * [s; C_1; …], so the passage is read in the light of the question.
 */
export type SourceCombination = 'concat' | 'hierarchical' | 'flat' | 'cascade';

/** Options of {@link MultiSourceAttention}. */
export interface MultiSourceAttentionOptions {
  /** Size Q of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Default `concat`. */
  readonly combine?: SourceCombination;
  /** `hierarchical` only: size d the contexts are projected to. Default 64. */
  readonly size?: number;
}

/** The attentions a {@link MultiSourceAttention} combines. */
export interface MultiSourceAttentionParts {
  /**
   * Attends over the main source (`Memory.states`); with `flat`, the one attention over
   * every source at once; with `cascade`, queried by [s; C_1; …] (size Q + Σ C_k).
   */
  readonly main: Attention;
  /**
   * The further sources, read from `Memory.extras` under these names, each with its own
   * attention; with `flat`, `null` (the main attention reads them all).
   */
  readonly sources: Readonly<Record<string, Attention | null>>;
}

const owner = 'multi-source attention';

const constructorOptions = z.strictObject({
  querySize: z.int().positive().describe('Size Q of the decoder query; filled in by the decoder'),
  combine: z.enum(['concat', 'hierarchical', 'flat', 'cascade']).default('concat'),
  size: z.int().positive().default(64).describe("'hierarchical' only: size d of the contexts"),
});

/** What {@link MultiSourceAttention} precomputes: each attention's cache, batch-major. */
export interface MultiSourceCache {
  readonly main: AttentionCache;
  readonly sources: Readonly<Record<string, AttentionCache>>;
  /** `flat` only: `[B, S]` the main source's mask, whose width splits the joint alignment. */
  readonly mainMask?: tf.Tensor2D;
}

/**
 * Attention over several sources: the main source in `Memory.states` and further ones in
 * `Memory.extras` (as a multi-source encoder leaves them), each masked by its own mask.
 * `concat`: C = [C_main; C_1; …]. `hierarchical`: β = softmax_k(vᵀ tanh(W s + U_k C_k)),
 * C = Σ_k β_k V_k C_k (Libovický and Helcl 2017). `flat`: one attention over
 * [h_main; h_1; …] with the joint mask. `cascade`: C_k first, then C_main queried by
 * [s; C_1; …], and C = [C_main; C_1; …]. The reported `weights` are always over the main
 * source (renormalised to it with `flat`), so alignments label the main source's positions.
 */
export class MultiSourceAttention implements Attention {
  readonly contextSize: number;
  readonly initialState?: (cache: MultiSourceCache) => AttentionState;
  readonly attendAll?: (
    queries: tf.Tensor3D,
    cache: MultiSourceCache,
  ) => { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D };
  private readonly params: ParameterSet;
  private readonly combine: SourceCombination;
  private readonly main: Attention;
  private readonly names: readonly string[];
  private readonly attentions: Readonly<Record<string, Attention>>;
  private readonly hierarchy?: {
    readonly query: tf.Variable;
    readonly score: tf.Variable;
    readonly keys: readonly tf.Variable[];
    readonly values: readonly tf.Variable[];
  };

  constructor(
    options: MultiSourceAttentionOptions,
    parts: MultiSourceAttentionParts,
    seed: number,
  ) {
    const o = parseOptions(owner, constructorOptions, options);
    const { combine, querySize: q } = o;
    this.combine = combine;
    this.names = Object.keys(parts.sources);
    this.params = new ParameterSet(seed);
    this.main = this.params.child(combine === 'flat' ? 'joint' : 'main', parts.main);
    const attentions: Record<string, Attention> = {};
    for (const name of this.names) {
      const attention = parts.sources[name];
      if (attention) attentions[name] = this.params.child(name, attention);
    }
    this.attentions = attentions;
    const all = [this.main, ...Object.values(attentions)];
    if (combine === 'hierarchical') {
      const d = o.size;
      const sizes = all.map((a) => a.contextSize);
      const labels = ['main', ...this.names];
      this.hierarchy = {
        query: this.params.add('combine.queryKernel', [q, d], glorotUniform()),
        score: this.params.add('combine.scoreVector', [d, 1], glorotUniform()),
        keys: sizes.map((c, k) =>
          this.params.add(`combine.keyKernel.${labels[k]}`, [c, d], glorotUniform()),
        ),
        values: sizes.map((c, k) =>
          this.params.add(`combine.valueKernel.${labels[k]}`, [c, d], glorotUniform()),
        ),
      };
      this.contextSize = d;
    } else {
      this.contextSize =
        combine === 'flat' ? this.main.contextSize : sum(all.map((a) => a.contextSize));
    }
    if (all.some((a) => a.initialState)) {
      this.initialState = (cache) =>
        tidyTree(() => ({
          main: this.main.initialState?.(cache.main) ?? {},
          sources: Object.fromEntries(
            Object.entries(this.attentions).map(([n, a]) => [
              n,
              a.initialState?.(cache.sources[n]!) ?? {},
            ]),
          ),
        }));
    } else if (all.every((a) => a.attendAll)) {
      this.attendAll = (queries, cache) => tidyTree(() => this.attendAllSources(queries, cache));
    }
  }

  prepare(memory: Memory): MultiSourceCache {
    return tidyTree(() => {
      if (this.combine === 'flat') {
        return {
          main: this.main.prepare(flatMemory(memory, this.names)),
          sources: {},
          mainMask: memory.mask.clone(),
        };
      }
      return {
        main: this.main.prepare(memory),
        sources: Object.fromEntries(
          Object.entries(this.attentions).map(([n, a]) => [n, a.prepare(sourceMemory(memory, n))]),
        ),
      };
    });
  }

  attend(
    query: tf.Tensor2D,
    cache: MultiSourceCache,
    state?: { main: AttentionState; sources: Record<string, AttentionState> },
  ): AttentionResult {
    return tidyTree(() => {
      const others = Object.entries(this.attentions).map(([n, a]) =>
        a.attend(query, cache.sources[n]!, state?.sources[n]),
      );
      const mainQuery =
        this.combine === 'cascade' ? tf.concat([query, ...others.map((r) => r.context)], 1) : query;
      const main = this.main.attend(mainQuery as tf.Tensor2D, cache.main, state?.main);
      const next = this.initialState
        ? {
            state: {
              main: main.state ?? {},
              sources: Object.fromEntries(others.map((r, i) => [this.names[i]!, r.state ?? {}])),
            },
          }
        : {};
      if (this.combine === 'flat') {
        const s = cache.mainMask!.shape[1];
        return { context: main.context, weights: mainShare(main.weights, s), ...next };
      }
      const contexts = [main.context, ...others.map((r) => r.context)];
      return { context: this.mix(query, contexts), weights: main.weights, ...next };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  private attendAllSources(
    queries: tf.Tensor3D,
    cache: MultiSourceCache,
  ): { context: tf.Tensor3D; weights: tf.Tensor3D } {
    if (this.combine === 'flat') {
      const joint = this.main.attendAll!(queries, cache.main);
      return {
        context: joint.context,
        weights: mainShare(joint.weights, cache.mainMask!.shape[1]),
      };
    }
    const [b, t] = queries.shape;
    const flat = (x: tf.Tensor3D) => x.reshape([b * t, -1]) as tf.Tensor2D;
    const others = Object.entries(this.attentions).map(
      ([n, a]) => a.attendAll!(queries, cache.sources[n]!).context,
    );
    const mainQueries = this.combine === 'cascade' ? tf.concat([queries, ...others], 2) : queries;
    const main = this.main.attendAll!(mainQueries as tf.Tensor3D, cache.main);
    const context = this.mix(flat(queries), [main.context, ...others].map(flat));
    return { context: context.reshape([b, t, -1]) as tf.Tensor3D, weights: main.weights };
  }

  /** Combines `[N, C_k]` contexts for `[N, Q]` queries. */
  private mix(query: tf.Tensor2D, contexts: tf.Tensor2D[]): tf.Tensor2D {
    const h = this.hierarchy;
    if (!h) return tf.concat(contexts, 1) as tf.Tensor2D;
    const s = tf.matMul(query, h.query);
    // [N, K]: e_k = vᵀ tanh(W s + U_k C_k), one score per source.
    const scores = contexts.map((c, k) =>
      tf.matMul(tf.tanh(tf.add(s, tf.matMul(c, h.keys[k]!))), h.score),
    );
    const beta = tf.softmax(tf.concat(scores, 1));
    const betas = tf.split(beta, contexts.length, 1);
    const mixed = contexts.map((c, k) => tf.mul(betas[k]!, tf.matMul(c, h.values[k]!)));
    return tf.addN(mixed) as tf.Tensor2D;
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
