import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { ModelConfig } from '../model/seq2seq.js';
import type { ComponentConfig } from '../registry/registry.js';
import type { BatchSource } from '../training/batch-source.js';
import type { ScheduleConfig } from '../training/schedules.js';
import type { SourceInputs } from './encoder.js';
import type { Hypothesis } from './search.js';

/**
 * A problem people run end to end — translation, summarization, reading comprehension,
 * speech-to-text: how to read its data, what to learn from it (tokenizers, vocabularies),
 * which model to build, how to turn outputs into text and how to score them. Registered
 * under kind `task`, so `s2s train <task>` finds third-party tasks by name too.
 */
export interface Task {
  readonly name: string;
  /** One line for `s2s --help`. */
  readonly description: string;
  /** Settings used when the user gives none; `--config` overrides them key by key. */
  readonly defaults: TaskSettings;
  /**
   * The schema of the `data` section of its settings (a `z.strictObject`, so a typo is an
   * error), when the task declares one: the CLI publishes it in the task's `--config` JSON
   * Schema, and the task conformance kit checks that `defaults.data` parses.
   */
  readonly dataSchema?: z.ZodType;
  /**
   * Reads examples from a file or folder, streaming; bad input is a typed error naming file
   * and line. A task that leaves examples out while reading (too long to train on) reports
   * each through `options.onSkip`, and keeps them when `options.keepAll` is set.
   */
  read(path: string, settings: TaskSettings, options?: TaskReadOptions): AsyncIterable<TaskExample>;
  /**
   * Splits examples into training and held-out sets, for tasks whose split is not random
   * (a speaker never heard in training). Without it, the caller holds out a seeded random
   * `settings.training.devFraction`.
   */
  split?(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit;
  /** Learns what the model needs from the training examples (tokenizers, vocabularies). */
  fit(examples: readonly TaskExample[], settings: TaskSettings): Promise<TaskPipeline>;
  /** Rebuilds a pipeline from its {@link TaskPipeline.toJSON}, as saved with a model. */
  restore(json: unknown, settings: TaskSettings): TaskPipeline;
}

/** How {@link Task.read} treats examples it would leave out, such as over-long ones. */
export interface TaskReadOptions {
  /** Keep every example, even those the task leaves out of training (for evaluation). */
  readonly keepAll?: boolean;
  /** Told of each example left out: where it is (`file:line`) and why. */
  readonly onSkip?: (origin: string, reason: string) => void;
  /**
   * Reads a text file line by line, numbering lines from 1. A task's main entry imports no
   * file system, so a task that reads text files needs it: in Node `readLines` from
   * `@s2s/data/node`; in a browser anything that yields lines (of a fetched file, say).
   */
  readonly readLines?: (
    path: string,
  ) => AsyncIterable<{ readonly text: string; readonly number: number }>;
  /**
   * What is at a path: `'folder'`, `'file'`, or undefined when nothing is. A task that reads
   * a folder or a file needs it to tell which: in Node `pathKind` from `@s2s/data/node`.
   */
  readonly pathKind?: (path: string) => Promise<'file' | 'folder' | undefined>;
  /**
   * The names of a folder's entries (names, not paths; any order). A task that reads every
   * file of a folder needs it: in Node `listFolder` from `@s2s/data/node`; in a browser a
   * list the page knows (of a fetched index, say).
   */
  readonly listFolder?: (path: string) => Promise<readonly string[]>;
}

/** One example as a task reads it. */
export interface TaskExample {
  /**
   * What goes in, as a user gives it to `s2s decode` on one line: a sentence, a WAV file's
   * path, a JSON story with its question.
   */
  readonly input: string;
  /** Acceptable outputs; the first is the one trained on. */
  readonly references: readonly string[];
  /** Where it came from (`file:line`), for messages. */
  readonly origin?: string;
}

/** Training and held-out examples. */
export interface TaskSplit {
  readonly train: readonly TaskExample[];
  readonly dev: readonly TaskExample[];
}

/** A task's settings: plain JSON, so a config file can override any of them. */
export interface TaskSettings {
  /** The model recipe; the pipeline fills in vocabulary and feature sizes. */
  readonly model: ModelRecipe;
  readonly training: TrainingSettings;
  /** The default search strategy, by registry name with its options, plus `maxLength`. */
  readonly search: ComponentConfig & { readonly maxLength?: number };
  /** Task-specific data options (maximum lengths, lower-casing, tokenizer, features…). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** A model config without the sizes that only the data can tell. */
export type ModelRecipe = Omit<ModelConfig, 'source' | 'target' | 'specials'>;

/** How to train; unknown keys are passed on to the trainer. */
export interface TrainingSettings {
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Upper bound on padded tokens per batch. */
  readonly maxTokens?: number;
  /** A constant, or a schedule written as JSON (see {@link ScheduleConfig}). */
  readonly learningRate?: number | ScheduleConfig;
  /** Share of examples held out when the task has no {@link Task.split}. */
  readonly devFraction?: number;
  readonly seed?: number;
  readonly [option: string]: unknown;
}

/** What a task learned from its training data; serialisable with the model. */
export interface TaskPipeline {
  /** The full model config for this data. */
  modelConfig(recipe: ModelRecipe): ModelConfig;
  /** Training (or validation) batches, bucketed and seeded. */
  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource;
  /** Source tensors for raw inputs; an empty or over-long input is a typed error. */
  encode(inputs: readonly string[]): EncodedSources;
  /** Output text of a hypothesis for row `row` of `encoded`. */
  decode(hypothesis: Hypothesis, row: number, encoded: EncodedSources): DecodedOutput;
  /** Scores outputs against the examples' references. */
  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores;
  toJSON(): unknown;
}

/** How {@link TaskPipeline.batches} cuts batches. */
export interface BatchOptions {
  readonly batchSize: number;
  readonly maxTokens?: number;
  readonly seed: number;
  /** Shuffle (training) or keep order (evaluation). */
  readonly shuffle: boolean;
}

/** Sources ready for `Seq2Seq.generate`; the caller disposes the tensors. */
export interface EncodedSources {
  readonly source: tf.Tensor;
  readonly mask: tf.Tensor2D;
  readonly inputs?: SourceInputs;
  /** Each row's source tokens (or frames, or sentences), to label attention plots. */
  readonly labels: readonly (readonly string[])[];
}

/** A decoded output. */
export interface DecodedOutput {
  readonly text: string;
  /** The output tokens, one per alignment row (`<eos>` included when emitted). */
  readonly tokens: readonly string[];
}

/** Metric values of an evaluation. */
export interface TaskScores {
  /**
   * Every score on a 0–100 scale: percentages (accuracy, exact match, ROUGE, WER, CER)
   * and BLEU/chrF points, as the CLI prints them and the READMEs report them. A count
   * (such as `tasks_passed`) is an integer.
   */
  readonly scores: Readonly<Record<string, number>>;
  /** The metric that picks the best model (higher is better). */
  readonly primary: string;
  /** How the headline metric was computed, e.g. a sacreBLEU signature. */
  readonly signature?: string;
}
