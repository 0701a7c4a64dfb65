import { parseOptions, type TaskSettings } from '@s2s/core';
import { z } from 'zod';

/** What a summarization model learns to write. */
export type SummaryTarget = 'summary' | 'headline';

/** The task's `settings.data`, every option resolved. */
export interface SummarizationData {
  /** `summary`: the reference summary; `headline`: the article's first line. */
  readonly target: SummaryTarget;
  /** Paragraphs of the body the source takes, from the top; 0 takes them all. */
  readonly sourceParagraphs: number;
  /** The source is truncated to this many tokens. */
  readonly maxSourceTokens: number;
  /** Training targets are truncated to this many tokens (outputs are not). */
  readonly maxTargetTokens: number;
  /** At most this many ids in the shared source/target vocabulary, the 4 specials included. */
  readonly vocabularySize: number;
  /** Words seen fewer times in training are left to the copy mechanism. */
  readonly minFrequency: number;
  /** K: extended-vocabulary slots for each article's out-of-vocabulary words. */
  readonly maxSourceOovs: number;
  /** Lower-case all text (ROUGE does anyway). */
  readonly lowercase: boolean;
  /** Extractive models: the article's first sentences they read and may pick. */
  readonly maxSentences: number;
  /** Extractive models: each sentence is read up to this many words. */
  readonly maxSentenceWords: number;
  /**
   * Extractive models: the order of the oracle's sentences in training targets: `gain`
   * (most ROUGE gain first), `article`, or `reference` (the order the reference tells them).
   */
  readonly targetOrder: 'gain' | 'article' | 'reference';
  /** Extractive models: chosen sentences in `article` order or in `pointer` (picking) order. */
  readonly outputOrder: 'article' | 'pointer';
  /**
   * Extractive models: the output stops once it holds this share of the article's words
   * (or at `<eos>`); `'learned'` takes the training references' mean share; 0 is no budget.
   */
  readonly wordBudget: number | 'learned';
}

/** Defaults shared by both presets. */
export const dataDefaults = {
  vocabularySize: 5000,
  minFrequency: 2,
  maxSourceOovs: 100,
  lowercase: true,
  maxSentences: 50,
  maxSentenceWords: 60,
  targetOrder: 'gain',
  outputOrder: 'article',
  wordBudget: 0,
} as const;

const count = z.int().positive();

/**
 * The summarization task's `data` block as a schema, defaults filled in: what
 * {@link dataSettings} checks, and what a `--config` file's `data` may hold for this task.
 */
export const summarizationDataSchema = z
  .strictObject({
    target: z
      .enum(['summary', 'headline'])
      .default('summary')
      .describe(
        "What is learned: 'summary', the reference summary; 'headline', the article's first line",
      ),
    sourceParagraphs: z
      .int()
      .nonnegative()
      .default(0)
      .describe('Paragraphs of the body the source takes, from the top; 0 takes them all'),
    maxSourceTokens: count.default(200).describe('The source is truncated to this many tokens'),
    maxTargetTokens: count
      .default(80)
      .describe('Training targets are truncated to this many tokens (outputs are not)'),
    vocabularySize: z
      .int()
      .min(5, 'must leave room for a word beside the 4 specials')
      .default(dataDefaults.vocabularySize)
      .describe('At most this many ids in the shared vocabulary, the 4 specials included'),
    minFrequency: count
      .default(dataDefaults.minFrequency)
      .describe('Words seen fewer times in training are left to the copy mechanism'),
    maxSourceOovs: count
      .default(dataDefaults.maxSourceOovs)
      .describe("K: extended-vocabulary slots for each article's out-of-vocabulary words"),
    lowercase: z
      .boolean()
      .default(dataDefaults.lowercase)
      .describe('Lower-case all text (ROUGE does anyway)'),
    maxSentences: count
      .default(dataDefaults.maxSentences)
      .describe("Extractive models: the article's first sentences they read and may pick"),
    maxSentenceWords: count
      .default(dataDefaults.maxSentenceWords)
      .describe('Extractive models: each sentence is read up to this many words'),
    targetOrder: z
      .enum(['gain', 'article', 'reference'])
      .default(dataDefaults.targetOrder)
      .describe("Extractive models: the order of the oracle's sentences in training targets"),
    outputOrder: z
      .enum(['article', 'pointer'])
      .default(dataDefaults.outputOrder)
      .describe('Extractive models: chosen sentences in article order or in picking order'),
    wordBudget: z
      .union([z.number().min(0).max(1), z.literal('learned')])
      .default(dataDefaults.wordBudget)
      .describe(
        "Extractive models: stop once the output holds this share of the article's words; 'learned' takes the references' mean share; 0 is no budget",
      ),
  })
  .describe('The summarization task: what is learned, lengths, vocabulary, extractive choices');

/** Reads and validates `settings.data`, naming a bad option by its path (`data.target`). */
export function dataSettings(settings: TaskSettings): SummarizationData {
  return parseOptions(
    'summarization settings',
    summarizationDataSchema,
    settings.data ?? {},
    'data',
  );
}
