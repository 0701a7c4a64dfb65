import * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '../checkpoint/model-files.js';
import type { Hypothesis } from '../contracts/search.js';
import type {
  EncodedSources,
  Task,
  TaskExample,
  TaskPipeline,
  TaskScores,
  TaskSettings,
} from '../contracts/task.js';
import { positiveInt } from '../errors/assert.js';
import { ConfigError, InputError, S2SError, UnknownPluginError } from '../errors/errors.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { countParameters } from '../module/parameters.js';
import { registry as globalRegistry, type Registry } from '../registry/registry.js';
import { mergeSettings } from './merge-settings.js';
import {
  overrideSearch,
  type ResolvedSearch,
  resolveSearch,
  type SearchSettings,
} from './search-settings.js';
import {
  readTaskModelMetadata,
  type TaskModelMetadata,
  taskModelMetadata,
} from './task-metadata.js';

/**
 * Where a saved task model is read from or written to: a model folder (Node), or any
 * `tf.io` IO handler.
 */
export type ModelSource = string | tf.io.IOHandler;

/** Options of {@link TaskModel.load}. */
export interface TaskModelLoadOptions {
  /** Where the model's plugins and its task are registered. Default: the global registry. */
  readonly registry?: Registry;
}

/** What a {@link TaskModel} is made of, for a model trained or loaded in this process. */
export interface TaskModelParts {
  readonly model: Seq2Seq;
  /** The task, or its registered name. */
  readonly task: Task | string;
  readonly settings: TaskSettings;
  readonly pipeline: TaskPipeline;
  /** Fields saved with the model besides task, settings and pipeline (a training summary). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly registry?: Registry;
}

/** Options of {@link TaskModel.decode}. */
export interface DecodeOptions {
  /** The search to use instead of the model's own (`settings.search`). */
  readonly search?: SearchSettings;
  /** Hypotheses per input, best first. Default: what the search returns (1 for its defaults). */
  readonly nbest?: number;
  /** Return each hypothesis's attention alignment, `[output tokens][input positions]`. Default false. */
  readonly alignments?: boolean;
  /** Inputs encoded and searched at once. Default 32. */
  readonly batchSize?: number;
}

/** Options of {@link TaskModel.evaluate}. */
export interface EvaluateOptions {
  readonly search?: SearchSettings;
  readonly batchSize?: number;
}

/** One hypothesis for an input, as text with how the model scored it. */
export interface DecodedHypothesis {
  readonly text: string;
  /** Output tokens, one per alignment row (`<eos>` included when emitted). */
  readonly tokens: readonly string[];
  /** The score the search ranked it by (e.g. log P / L^α for beam search). */
  readonly score: number;
  /** log P(output | input). */
  readonly logProb: number;
  readonly tokenLogProbs: readonly number[];
  /** Whether it ended with `<eos>` rather than at the length limit. */
  readonly finished: boolean;
  /** `[tokens.length][input positions]` attention weights, when asked for and the decoder attends. */
  readonly alignment?: readonly (readonly number[])[];
}

/** One decoded input. */
export interface DecodedText {
  readonly input: string;
  /** Labels of the input's positions (tokens, frames, sentences): the alignment's columns. */
  readonly sourceTokens: readonly string[];
  /** Best first. */
  readonly hypotheses: readonly DecodedHypothesis[];
}

/** What {@link TaskModel.info} reports. */
export interface TaskModelInfo {
  readonly task: string;
  readonly settings: TaskSettings;
  /** Vocabulary sizes; `source` is absent for feature inputs (speech). */
  readonly vocabularies: { readonly source?: number; readonly target: number };
  /** Features per input frame, for feature inputs. */
  readonly sourceFeatures?: number;
  readonly parameters: number;
  /** The TensorFlow.js backend it runs on. */
  readonly backend: string;
}

const DEFAULT_BATCH_SIZE = 32;

/**
 * A trained model with everything that turns text into text: the task it was trained for,
 * the task's fitted pipeline (tokenizers, vocabularies) and its settings. Load it, decode
 * texts with any search, score it on examples, save it. The one object the CLI, the
 * benchmarks, the server and the browser use.
 */
export class TaskModel {
  /** Loads a model saved by {@link TaskModel.save} (or by `s2s train`). */
  static async load(source: ModelSource, options: TaskModelLoadOptions = {}): Promise<TaskModel> {
    if (typeof source !== 'string') {
      throw new ConfigError(
        'TaskModel.load: expected a model folder path; reading through a tf.io handler is not supported by this @s2s/core yet',
      );
    }
    const registry = options.registry ?? globalRegistry;
    const loaded = await loadModel(source, { registry });
    try {
      return TaskModel.fromSaved(loaded, { registry, file: `${source}/model.json` });
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
    return new TaskModel({
      model: loaded.model,
      task: found,
      settings,
      pipeline: found.restore(pipeline, settings),
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
    const search = this.search(options);
    const batchSize = positiveInt('decode', 'batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
    texts.forEach((text, i) => {
      if (typeof text !== 'string' || text.trim() === '')
        throw new InputError(i, `expected a non-empty string, got ${JSON.stringify(text)}`);
    });
    const out: DecodedText[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const chunk = texts.slice(start, start + batchSize);
      out.push(
        ...(await this.decodeBatch(
          chunk,
          start,
          search,
          options.alignments ?? false,
          options.nbest,
        )),
      );
    }
    return out;
  }

  /** The task's scores (0–100) of the model's best outputs for `examples`' inputs. */
  async evaluate(
    examples: readonly TaskExample[],
    options: EvaluateOptions = {},
  ): Promise<TaskScores> {
    const decoded = await this.decode(
      examples.map((e) => e.input),
      options,
    );
    return this.pipeline.evaluate(
      decoded.map((d) => d.hypotheses[0]?.text ?? ''),
      examples,
    );
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
   * Saves the model with its task, settings and pipeline, so {@link TaskModel.load}
   * rebuilds it; `options.metadata` adds fields (a training summary).
   */
  async save(
    destination: ModelSource,
    options: { readonly metadata?: Readonly<Record<string, unknown>> } = {},
  ): Promise<void> {
    this.assertLive();
    if (typeof destination !== 'string') {
      throw new ConfigError(
        'TaskModel.save: expected a model folder path; writing through a tf.io handler is not supported by this @s2s/core yet',
      );
    }
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
  ): Promise<DecodedText[]> {
    const encoded = this.encode(texts, offset);
    try {
      const results = await this.model.generate(
        encoded.source,
        encoded.mask,
        search.strategy,
        { maxLength: search.maxLength, alignments },
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
