import { ConfigError, type Task, type TaskSettings } from '@s2s/core';
import { ExtractivePipeline } from '../extractive/extractive-pipeline.js';
import { SummarizationPipeline } from '../pipeline/summarization-pipeline.js';
import { articleExamples } from '../reader/read-articles.js';
import {
  dataDefaults,
  dataSettings,
  type SummaryTarget,
  summarizationDataSchema,
} from './data-settings.js';

/**
 * The summary preset: the article body (its first 200 tokens) → its summary, with a
 * pointer-generator and coverage (See et al. 2017), decoded by beam search with a minimum
 * length, no repeated trigram and length normalisation.
 */
export const summaryPreset: TaskSettings = {
  model: {
    seed: 1,
    // [→h; ←h]: states of size 128 that know what comes before and after them.
    encoder: { name: 'lstm', embeddingSize: 64, hiddenSize: 64, bidirectional: 'concat' },
    decoder: {
      name: 'pointer-generator',
      embeddingSize: 64,
      hiddenSize: 128,
      attention: { name: 'bahdanau', size: 64, coverage: true },
      coverageLoss: 1,
      bridge: { name: 'projected' },
    },
    output: { name: 'pointer-generator' },
  },
  training: {
    epochs: 8,
    batchSize: 16,
    learningRate: 0.002,
    clipNorm: 2,
    devFraction: 0.1,
    seed: 1,
  },
  search: {
    name: 'beam',
    beamSize: 4,
    minLength: 80,
    noRepeatNgramSize: 3,
    lengthPenalty: 1,
    maxLength: 160,
  },
  data: {
    target: 'summary',
    sourceParagraphs: 0,
    maxSourceTokens: 200,
    maxTargetTokens: 80,
    ...dataDefaults,
  },
};

/**
 * The headline preset: the first two paragraphs (at most 100 tokens) → the headline, with
 * the same pointer-generator; beam search for short outputs.
 */
export const headlinePreset: TaskSettings = {
  model: summaryPreset.model,
  training: { ...summaryPreset.training, epochs: 12, batchSize: 32 },
  search: {
    name: 'beam',
    beamSize: 4,
    minLength: 4,
    noRepeatNgramSize: 3,
    lengthPenalty: 1,
    maxLength: 20,
  },
  data: {
    target: 'headline',
    sourceParagraphs: 2,
    maxSourceTokens: 100,
    maxTargetTokens: 20,
    ...dataDefaults,
  },
};

/**
 * The extractive preset (a `--config` for the `summarization` task): a pointer network over
 * the article's sentences (Vinyals et al. 2015; Cheng & Lapata 2016). A hierarchical
 * encoder turns each sentence's words into a vector and a bidirectional GRU reads the
 * sentences; an attentional decoder (Luong order) points at one sentence per step through
 * the `pointer` output, trained on the greedy ROUGE oracle's sentence sequence; beam search
 * never picks a sentence twice (`noRepeatNgramSize: 1`) and stops at `<eos>` or the word
 * budget.
 */
export const extractivePreset: TaskSettings = {
  model: {
    seed: 1,
    encoder: {
      name: 'hierarchical',
      embeddingSize: 64,
      words: 'position',
      temporal: false,
      dropout: 0.3,
      sentences: { name: 'gru', hiddenSize: 64, bidirectional: 'concat' },
    },
    decoder: {
      name: 'attentional',
      order: 'luong',
      embeddingSize: 32,
      hiddenSize: 128,
      dropout: 0.2,
      attention: { name: 'bahdanau', size: 64 },
      bridge: { name: 'projected' },
    },
    output: { name: 'pointer' },
  },
  training: {
    epochs: 8,
    batchSize: 16,
    learningRate: 0.002,
    clipNorm: 2,
    devFraction: 0.1,
    seed: 1,
  },
  search: {
    name: 'beam',
    beamSize: 4,
    minLength: 1,
    // Tuned on the dev split: at least 0.6 of the article's sentences (ROUGE F1 rewards
    // recall here, summaries holding about 45% of the article's words).
    minLengthRatio: 0.6,
    noRepeatNgramSize: 1,
    lengthPenalty: 1,
    maxLength: 51,
  },
  data: {
    ...summaryPreset.data,
    maxSentences: 50,
    maxSentenceWords: 60,
    targetOrder: 'reference',
    outputOrder: 'pointer',
    wordBudget: 0,
  },
};

const descriptions: Readonly<Record<SummaryTarget, string>> = {
  summary: 'news summarization: article → summary (pointer-generator with coverage)',
  headline: 'headline generation: first paragraphs → headline (pointer-generator)',
};

/** A summarization task, with the schema of its `settings.data`. */
export type SummarizationTask = Task & {
  /** The schema of `settings.data`, for a config file's `data` block. */
  readonly dataSchema: typeof summarizationDataSchema;
};

/**
 * A summarization {@link Task} on `{"text", "summary"}` JSON Lines (the BBC News Summary
 * layout), whose defaults are the summary or the headline preset. `settings.data.target`
 * decides what is learned, so either task can be switched by a config file.
 */
export function createSummarizationTask(preset: SummaryTarget): SummarizationTask {
  const defaults = preset === 'summary' ? summaryPreset : headlinePreset;
  return {
    name: preset === 'summary' ? 'summarization' : 'summarization-headline',
    description: descriptions[preset],
    defaults,
    dataSchema: summarizationDataSchema,
    read(path, settings, options) {
      const { target } = dataSettings(settings);
      if (!options?.readLines) {
        throw new ConfigError(
          `${this.name}: reading ${path} needs options.readLines, found none; in Node pass readLines from '@s2s/data/node'`,
        );
      }
      return articleExamples(options.readLines(path), path, target);
    },
    async fit(examples, settings) {
      if (settings.model.output?.name === 'pointer')
        return ExtractivePipeline.fit(examples, dataSettings(settings));
      const copy = settings.model.output?.name === 'pointer-generator';
      return SummarizationPipeline.fit(examples, dataSettings(settings), copy);
    },
    restore: (json) =>
      (json as { kind?: unknown } | null)?.kind === 'extractive'
        ? ExtractivePipeline.fromJSON(json)
        : SummarizationPipeline.fromJSON(json),
  };
}

/** Article → summary; registered as `summarization`. */
export const summarizationTask: SummarizationTask = createSummarizationTask('summary');

/** First paragraphs → headline; registered as `summarization-headline`. */
export const headlineTask: SummarizationTask = createSummarizationTask('headline');
