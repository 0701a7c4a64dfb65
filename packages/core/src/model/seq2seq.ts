import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Decoder, DecoderCache, DecoderForwardOutput } from '../contracts/decoder.js';
import type { EncodeOptions, Encoder, SourceInputs } from '../contracts/encoder.js';
import type { Memory } from '../contracts/memory.js';
import type { Module, RunOptions } from '../contracts/module.js';
import type { OutputContext, OutputLayer } from '../contracts/output.js';
import type { Hypothesis, SearchOptions, SearchStrategy, StepModel } from '../contracts/search.js';
import { assertShape } from '../errors/assert.js';
import { ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { ParameterSet } from '../module/parameters.js';
import { deriveSeed } from '../module/seed.js';
import {
  type ComponentConfig,
  registry as globalRegistry,
  type Registry,
} from '../registry/registry.js';
import { disposeTree, mapTree, tidyTree } from '../tree/tensor-tree.js';
import type { Batch } from './batch.js';
import { forwardByStepping } from './forward-by-stepping.js';
import { maskedNll } from './loss.js';

/** A model, fully described by data: the names and options of its parts. */
export interface ModelConfig {
  /** Seeds every parameter's initial value. */
  readonly seed: number;
  /** Token-id sources give `vocabSize`; feature-frame sources give `features`. */
  readonly source: { readonly vocabSize?: number; readonly features?: number };
  readonly target: { readonly vocabSize: number };
  /** Special target ids. Default `{ pad: 0, bos: 1, eos: 2 }`, as {@link Vocabulary} assigns them. */
  readonly specials?: { readonly pad: number; readonly bos: number; readonly eos: number };
  readonly encoder: ComponentConfig;
  /** The decoder config names its own attention (and bridge), if it has one. */
  readonly decoder: ComponentConfig;
  /** Default `{ name: 'softmax' }`. */
  readonly output?: ComponentConfig;
}

const component = z
  .looseObject({ name: z.string().describe('A registered plugin name') })
  .describe("A component: a registered name and that plugin's options");
const id = z.int().nonnegative();

/**
 * A {@link ModelConfig} as a zod schema: the model's own fields. Each component's options
 * are its plugin's to check, when the registry builds it.
 */
export const modelConfigSchema = z
  .strictObject({
    seed: z.int().describe("Seeds every parameter's initial value"),
    source: z
      .strictObject({
        vocabSize: z.int().positive().optional().describe('Token-id sources: the vocabulary size'),
        features: z
          .int()
          .positive()
          .optional()
          .describe('Feature-frame sources: features per frame'),
      })
      .describe("Exactly one of 'vocabSize' or 'features'"),
    target: z.strictObject({ vocabSize: z.int().positive() }),
    specials: z
      .strictObject({ pad: id, bos: id, eos: id })
      .optional()
      .describe('Special target ids. Default { pad: 0, bos: 1, eos: 2 }'),
    encoder: component,
    decoder: component.describe('The decoder config names its own attention (and bridge)'),
    output: component.optional().describe("Default { name: 'softmax' }"),
  })
  .refine((c) => (c.source.vocabSize === undefined) !== (c.source.features === undefined), {
    path: ['source'],
    message:
      "needs exactly one of 'vocabSize' (token ids) or 'features' (feature frames), not both or neither",
  });

/** ε of label smoothing, in [0, 1]. */
const labelSmoothing = z.number().min(0).max(1).default(0);

/** Options of {@link Seq2Seq.loss}. */
export interface LossOptions extends RunOptions {
  /** ε of label smoothing: loss = (1−ε)·NLL + ε·(−mean_v log p_v). Default 0. */
  readonly labelSmoothing?: number;
}

/**
 * Encoder + decoder (with whatever attention it was given) + output layer. Trains on the
 * masked negative log-likelihood −Σ_t log P(y_t | y_<t, x) and decodes with any
 * {@link SearchStrategy}.
 */
export class Seq2Seq implements Module {
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
  private readonly params: ParameterSet;

  private constructor(
    readonly config: ModelConfig,
    readonly encoder: Encoder,
    readonly decoder: Decoder,
    readonly output: OutputLayer,
  ) {
    this.params = new ParameterSet(config.seed);
    this.params.child('encoder', encoder);
    this.params.child('decoder', decoder);
    this.params.child('output', output);
    const specials = config.specials ?? { pad: 0, bos: 1, eos: 2 };
    this.pad = specials.pad;
    this.bos = specials.bos;
    this.eos = specials.eos;
  }

  /** Builds a model from its config through a registry (the global one by default). */
  static build(config: ModelConfig, registry: Registry = globalRegistry): Seq2Seq {
    parseOptions('model config', modelConfigSchema, config);
    const base = { sourceVocab: config.source.vocabSize, targetVocab: config.target.vocabSize };
    const built: { dispose(): void }[] = [];
    try {
      const encoder = registry.create('encoder', config.encoder, {
        seed: deriveSeed(config.seed, 'encoder'),
        path: 'encoder',
        sizes: { ...base, sourceFeatures: config.source.features },
      });
      built.push(encoder);
      const decoder = registry.create('decoder', config.decoder, {
        seed: deriveSeed(config.seed, 'decoder'),
        path: 'decoder',
        sizes: { ...base, memory: encoder.outputSize, final: encoder.finalSizes },
        parts: { encoder },
      });
      built.push(decoder);
      const output = registry.create('output', config.output ?? { name: 'softmax' }, {
        seed: deriveSeed(config.seed, 'output'),
        path: 'output',
        sizes: { ...base, features: decoder.outputSize },
        parts: { encoder, decoder },
      });
      built.push(output);
      if (output.vocabSize < config.target.vocabSize) {
        throw new ConfigError(
          `output: distribution of size ${output.vocabSize} is smaller than the target vocabulary (${config.target.vocabSize})`,
        );
      }
      return new Seq2Seq(config, encoder, decoder, output);
    } catch (error) {
      // A part that cannot be built (too large, a bad option) frees the parts built before it.
      for (const part of built) part.dispose();
      throw error;
    }
  }

  /**
   * Runs the encoder. Named `options.inputs` reach the encoder and come back in
   * `Memory.extras` (the encoder's own extras win a name clash).
   */
  encode(source: tf.Tensor, mask: tf.Tensor2D, options: EncodeOptions): Memory {
    assertShape(
      'source mask',
      mask,
      [source.shape[0] ?? null, source.shape[1] ?? null],
      ['B', 'S'],
    );
    const memory = this.encoder.encode(source, mask, options);
    if (!options.inputs) return memory;
    return { ...memory, extras: { ...options.inputs, ...memory.extras } };
  }

  /** Teacher-forced `[B, T, V]` log-probabilities of a batch, plus any decoder extra loss. */
  forward(
    batch: Batch,
    options: RunOptions,
  ): { logProbs: tf.Tensor3D; weights?: tf.Tensor3D; extraLoss?: tf.Scalar } {
    return tidyTree(() => {
      const { features, context, extraLoss } = this.teacherForce(batch, options);
      const logProbs = this.output.logProbs(features, context) as tf.Tensor3D;
      return {
        logProbs,
        ...(context.weights ? { weights: context.weights as tf.Tensor3D } : {}),
        ...(extraLoss ? { extraLoss } : {}),
      };
    });
  }

  /**
   * Mean negative log-likelihood per real target token (padding masked out), plus any
   * extra loss the decoder asks for. A scalar, ready for `tf.variableGrads`. Output layers
   * that expose logits train through the fused {@link softmaxCrossEntropy}.
   */
  loss(batch: Batch, options: LossOptions): tf.Scalar {
    const smoothing = parseOptions(
      'loss',
      labelSmoothing,
      options.labelSmoothing,
      'labelSmoothing',
    );
    return tf.tidy(() => {
      const { features, context, extraLoss } = this.teacherForce(batch, options);
      const nll = maskedNll(this.output, features, context, batch, smoothing);
      return extraLoss ? tf.add(nll, extraLoss) : nll;
    });
  }

  /** Encoder and teacher-forced decoder: `[B, T, D]` features and what the output layer needs. */
  private teacherForce(
    batch: Batch,
    options: RunOptions,
  ): { features: tf.Tensor3D; context: OutputContext; extraLoss?: tf.Scalar } {
    const memory = this.encode(batch.source, batch.sourceMask, {
      ...options,
      ...(batch.inputs ? { inputs: batch.inputs } : {}),
    });
    const cache = this.decoder.prepare(memory, options);
    const out: DecoderForwardOutput = this.decoder.forward
      ? this.decoder.forward(batch.targetIn, cache, { ...options, targetMask: batch.targetMask })
      : forwardByStepping(this.decoder, batch.targetIn, cache, options);
    return {
      features: out.output,
      context: { memory, ...(out.weights ? { weights: out.weights } : {}) },
      ...(out.extraLoss ? { extraLoss: out.extraLoss } : {}),
    };
  }

  /** The decoder and output layer as a step-wise distribution for search strategies. */
  stepModel(): StepModel {
    const options: RunOptions = { training: false };
    type Cache = { memory: Memory; decoder: DecoderCache };
    return {
      vocabSize: this.output.vocabSize,
      bos: this.bos,
      eos: this.eos,
      // The cache owns copies of the memory's tensors (free on wasm and cpu, which share
      // buffers), so a search may dispose or expand it without touching the caller's memory.
      prepare: (memory) =>
        tidyTree(() => ({
          memory: mapTree(memory, (t) => t.clone()),
          decoder: this.decoder.prepare(memory, options),
        })),
      initialState: (cache) =>
        tidyTree(() => this.decoder.initialState((cache as Cache).decoder, options)),
      step: (prev, state, cache) =>
        tidyTree(() => {
          const { memory, decoder } = cache as Cache;
          const r = this.decoder.step(prev, state, decoder, options);
          const logProbs = this.output.logProbs(r.output, {
            memory,
            ...(r.weights ? { weights: r.weights } : {}),
          }) as tf.Tensor2D;
          return { logProbs, state: r.state, ...(r.weights ? { weights: r.weights } : {}) };
        }),
    };
  }

  /** Encodes a source batch and searches; returns the hypotheses of each input, best first. */
  async generate(
    source: tf.Tensor,
    mask: tf.Tensor2D,
    strategy: SearchStrategy,
    options: SearchOptions,
    inputs?: SourceInputs,
  ): Promise<Hypothesis[][]> {
    const memory = tidyTree(() =>
      this.encode(source, mask, { training: false, ...(inputs ? { inputs } : {}) }),
    );
    try {
      return await strategy.search(this.stepModel(), memory, options);
    } finally {
      disposeTree(memory);
    }
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
