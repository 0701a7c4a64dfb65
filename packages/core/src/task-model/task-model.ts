import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  loadModel,
  loadModelOptions,
  type ModelSource,
  saveModel,
} from '../checkpoint/model-files.js';
import { MODEL_FILE, type ModelIOHandler } from '../checkpoint/model-format.js';
import { modelFromURL } from '../checkpoint/model-url.js';
import type { Hypothesis } from '../contracts/search.js';
import type {
  EncodedSources,
  Task,
  TaskExample,
  TaskPipeline,
  TaskScores,
  TaskSettings,
} from '../contracts/task.js';
import { CheckpointError, InputError, S2SError, UnknownPluginError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { countParameters } from '../module/parameters.js';
import type { ReplicaPool } from '../parallel/replica-pool.js';
import {
  type ComponentConfig,
  registry as globalRegistry,
  type Registry,
} from '../registry/registry.js';
import { mergeSettings } from './merge-settings.js';
import { overrideSearch, type ResolvedSearch, resolveSearch } from './search-settings.js';
import {
  readTaskModelMetadata,
  type TaskModelMetadata,
  taskModelMetadata,
} from './task-metadata.js';
import type {
  DecodedHypothesis,
  DecodedText,
  DecodeOptions,
  EvaluateOptions,
  TaskModelInfo,
  TaskModelLoadOptions,
  TaskModelParts,
} from './task-model-types.js';

const DEFAULT_BATCH_SIZE = 32;

/** {@link DecodeOptions} (and {@link EvaluateOptions}) as a zod schema, with defaults. */
export const decodeOptions = z.strictObject({
  search: z
    .looseObject({ name: z.string(), maxLength: z.int().positive().optional() })
    .optional()
    .describe("The search to use instead of the model's own"),
  nbest: z.int().positive().optional().describe('Hypotheses per input, best first'),
  alignments: z.boolean().default(false).describe("Return each hypothesis's attention alignment"),
  batchSize: z
    .int()
    .positive()
    .default(DEFAULT_BATCH_SIZE)
    .describe('Inputs encoded and searched at once. Default 32'),
  pool: z
    .custom<ReplicaPool>((v) => typeof v === 'object' && v !== null, 'expected a ReplicaPool')
    .optional()
    .describe('Worker threads holding replicas of this model'),
  spread: z
    .enum(['auto', 'rows', 'batches'])
    .default('auto')
    .describe(
      "With a pool: 'batches' sends whole batches to free threads, 'rows' splits each batch's rows; 'auto' picks batches when there are several",
    ),
});

/**
 * A trained model with everything that turns text into text: the task it was trained for,
 * the task's fitted pipeline (tokenizers, vocabularies) and its settings. Load it, decode
 * texts with any search, score it on examples, save it. The one object the CLI, the
 * benchmarks, the server and the browser use.
 */
export class TaskModel {
  /**
   * Loads a model saved by {@link TaskModel.save} (or by `s2s train`) from the URL of its
   * folder or any `tf.io` IO handler; in Node, a folder is `modelFolder(dir)` from
   * `@s2s/core/node`.
   */
  static async load(source: ModelSource, options: TaskModelLoadOptions = {}): Promise<TaskModel> {
    const o = parseOptions('TaskModel.load', loadModelOptions, options);
    const registry = o.registry ?? globalRegistry;
    const handler: ModelIOHandler =
      typeof source === 'string' || source instanceof URL
        ? modelFromURL(source, o.fetch ? { fetch: o.fetch } : {})
        : source;
    const loaded = await loadModel(handler, { registry });
    try {
      const file = handler.locate?.(MODEL_FILE) ?? MODEL_FILE;
      return TaskModel.fromSaved(loaded, { registry, file });
    } catch (error) {
      loaded.model.dispose();
      throw error;
    }
  }

  /**
   * Rebuilds a task model from a model and the metadata saved with it: finds the task in
   * the registry and restores its pipeline. `file` names the model file in errors.
   */
  static fromSaved(
    loaded: { readonly model: Seq2Seq; readonly metadata: Readonly<Record<string, unknown>> },
    options: { readonly registry?: Registry; readonly file?: string } = {},
  ): TaskModel {
    const file = options.file ?? 'model.json';
    const registry = options.registry ?? globalRegistry;
    const {
      format: _format,
      task,
      settings,
      pipeline,
      ...rest
    } = readTaskModelMetadata(loaded.metadata, file);
    if (!registry.has('task', task)) {
      throw new UnknownPluginError('task', task, registry.names('task'));
    }
    const found = registry.create('task', { name: task });
    let restored: TaskPipeline;
    try {
      restored = found.restore(pipeline, settings);
    } catch (error) {
      if (!(error instanceof S2SError)) throw error;
      throw new CheckpointError(file, `its ${task} pipeline cannot be restored: ${error.message}`);
    }
    return new TaskModel({
      model: loaded.model,
      task: found,
      settings,
      pipeline: restored,
      metadata: rest,
      registry,
    });
  }

  /** The registered task's name. */
  readonly task: string;
  readonly settings: TaskSettings;
  readonly model: Seq2Seq;
  readonly pipeline: TaskPipeline;
  private readonly taskPlugin: Task;
  private readonly extra: Readonly<Record<string, unknown>>;
  private readonly registry: Registry;
  private disposed = false;

  constructor(parts: TaskModelParts) {
    this.registry = parts.registry ?? globalRegistry;
    this.taskPlugin =
      typeof parts.task === 'string'
        ? this.registry.create('task', { name: parts.task })
        : parts.task;
    this.task = this.taskPlugin.name;
    this.settings = parts.settings;
    this.model = parts.model;
    this.pipeline = parts.pipeline;
    this.extra = parts.metadata ?? {};
  }

  /** What the model is, for a model-info endpoint or a log line. */
  info(): TaskModelInfo {
    const { source, target } = this.model.config;
    return {
      task: this.task,
      settings: this.settings,
      vocabularies: {
        ...(source.vocabSize !== undefined ? { source: source.vocabSize } : {}),
        target: target.vocabSize,
      },
      ...(source.features !== undefined ? { sourceFeatures: source.features } : {}),
      parameters: countParameters(this.model),
      backend: tf.getBackend(),
    };
  }

  /**
   * The same weights with settings laid over these (see {@link mergeSettings}): another
   * default search, or data settings that change how inputs are read (the pipeline is
   * restored with them). Disposing either disposes the weights of both.
   */
  withSettings(override: Partial<TaskSettings>): TaskModel {
    const settings = mergeSettings(this.settings, override);
    return new TaskModel({
      model: this.model,
      task: this.taskPlugin,
      settings,
      pipeline: override.data
        ? this.taskPlugin.restore(this.pipeline.toJSON(), settings)
        : this.pipeline,
      metadata: this.extra,
      registry: this.registry,
    });
  }

  /** The search `options` ask for, built through the registry. */
  search(options: Pick<DecodeOptions, 'search' | 'nbest'> = {}): ResolvedSearch {
    const settings = options.search ?? this.settings.search;
    return resolveSearch(
      options.nbest === undefined
        ? settings
        : overrideSearch(settings, { nBest: options.nbest }, this.registry),
      this.registry,
    );
  }

  /**
   * Decodes texts (one input each, as the task reads a line: a sentence, a WAV path, a JSON
   * story) into their hypotheses, best first. An empty input, or one the pipeline rejects,
   * is an {@link InputError} naming its position.
   */
  async decode(texts: readonly string[], options: DecodeOptions = {}): Promise<DecodedText[]> {
    this.assertLive();
    const o = parseOptions('decode', decodeOptions, options);
    const search = this.search(options);
    const batchSize = o.batchSize;
    texts.forEach((text, i) => {
      if (typeof text !== 'string' || text.trim() === '')
        throw new InputError(i, `expected a non-empty string, got ${JSON.stringify(text)}`);
    });
    const alignments = o.alignments;
    const starts: number[] = [];
    for (let start = 0; start < texts.length; start += batchSize) starts.push(start);
    const spread = o.spread;
    const pool = o.pool;
    const whole = pool && (spread === 'batches' || (spread === 'auto' && starts.length > 1));
    const batch = (start: number) =>
      this.decodeBatch(
        texts.slice(start, start + batchSize),
        start,
        search,
        alignments,
        o.nbest,
        pool,
        whole ?? false,
      );
    if (!whole) {
      const out: DecodedText[] = [];
      for (const start of starts) out.push(...(await batch(start)));
      return out;
    }
    // Whole batches to the pool's free threads, a few more in flight than it has threads,
    // so that every thread finds its next batch waiting; reassembled in input order.
    const inFlight = (pool?.size ?? 1) * 2;
    const running: Promise<DecodedText[]>[] = [];
    const out: DecodedText[][] = [];
    try {
      for (const start of starts) {
        const next = batch(start);
        next.catch(() => {}); // awaited below, in order
        running.push(next);
        if (running.length >= inFlight) out.push(await running.shift()!);
      }
      while (running.length > 0) out.push(await running.shift()!);
    } catch (error) {
      await Promise.allSettled(running);
      throw error;
    }
    return out.flat();
  }

  /** Each input's best output text (empty when the search found none). */
  async decodeBest(texts: readonly string[], options: EvaluateOptions = {}): Promise<string[]> {
    const decoded = await this.decode(texts, options);
    return decoded.map((d) => d.hypotheses[0]?.text ?? '');
  }

  /** The task's scores (0–100) of the model's best outputs for `examples`' inputs. */
  async evaluate(
    examples: readonly TaskExample[],
    options: EvaluateOptions = {},
  ): Promise<TaskScores> {
    const outputs = await this.decodeBest(
      examples.map((e) => e.input),
      options,
    );
    return this.pipeline.evaluate(outputs, examples);
  }

  /** The metadata {@link TaskModel.save} writes, with `extra` fields added. */
  metadata(extra: Readonly<Record<string, unknown>> = {}): TaskModelMetadata {
    return taskModelMetadata({
      ...this.extra,
      ...extra,
      task: this.task,
      settings: this.settings,
      pipeline: this.pipeline.toJSON(),
    });
  }

  /**
   * Saves the model with its task, settings and pipeline through a `tf.io` IO handler
   * (in Node, `modelFolder(dir)` from `@s2s/core/node` writes a folder atomically), so
   * {@link TaskModel.load} rebuilds it; `options.metadata` adds fields (a training summary).
   */
  async save(
    destination: tf.io.IOHandler,
    options: { readonly metadata?: Readonly<Record<string, unknown>> } = {},
  ): Promise<void> {
    this.assertLive();
    await saveModel(destination, this.model, { metadata: this.metadata(options.metadata) });
  }

  /** Frees the weights. The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw new S2SError(`this ${this.task} model was disposed`);
  }

  private async decodeBatch(
    texts: readonly string[],
    offset: number,
    search: ResolvedSearch,
    alignments: boolean,
    nbest: number | undefined,
    pool: ReplicaPool | undefined,
    whole: boolean,
  ): Promise<DecodedText[]> {
    const encoded = this.encode(texts, offset);
    try {
      const searchOptions = { maxLength: search.maxLength, alignments };
      const { maxLength: _maxLength, ...config } = search.settings;
      const results = pool
        ? await (whole ? pool.generateBatch : pool.generate).call(
            pool,
            encoded.source,
            encoded.mask,
            config as ComponentConfig,
            searchOptions,
            encoded.inputs,
          )
        : await this.model.generate(
            encoded.source,
            encoded.mask,
            search.strategy,
            searchOptions,
            encoded.inputs,
          );
      const lengths = alignments ? realLengths(encoded.mask) : [];
      return results.map((hypotheses, row) => ({
        input: texts[row]!,
        sourceTokens: encoded.labels[row] ?? [],
        hypotheses: hypotheses
          .slice(0, nbest)
          .map((h) => decoded(h, this.pipeline.decode(h, row, encoded), lengths[row])),
      }));
    } finally {
      disposeEncoded(encoded);
    }
  }

  /** Encodes a batch; when the pipeline rejects it, finds the input at fault and names it. */
  private encode(texts: readonly string[], offset: number): EncodedSources {
    try {
      return this.pipeline.encode(texts);
    } catch (error) {
      if (!(error instanceof S2SError)) throw error;
      texts.forEach((text, i) => {
        try {
          disposeEncoded(this.pipeline.encode([text]));
        } catch (single) {
          if (single instanceof S2SError)
            throw new InputError(offset + i, single.message, { cause: single });
          throw single;
        }
      });
      throw error;
    }
  }
}

function decoded(
  h: Hypothesis,
  output: { readonly text: string; readonly tokens: readonly string[] },
  length: number | undefined,
): DecodedHypothesis {
  return {
    text: output.text,
    tokens: output.tokens,
    score: h.score,
    logProb: h.logProb,
    tokenLogProbs: h.tokenLogProbs,
    finished: h.finished,
    // A shorter input in a batch attends over fewer positions: drop the padded columns.
    ...(h.alignment
      ? {
          alignment:
            length === undefined ? h.alignment : h.alignment.map((row) => row.slice(0, length)),
        }
      : {}),
  };
}

/** Real (unpadded) source positions of each row. */
function realLengths(mask: tf.Tensor2D): number[] {
  const sums = tf.tidy(() => tf.sum(mask, 1));
  const lengths = Array.from(sums.dataSync(), Math.round);
  sums.dispose();
  return lengths;
}

/** Disposes the tensors of encoded sources. */
export function disposeEncoded(encoded: EncodedSources): void {
  tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs ?? {})]);
}
