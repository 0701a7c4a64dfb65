import { ConfigError, knownOptions, oneOf, positiveInt, type TaskSettings } from '@s2s/core';

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

const owner = 'summarization data';

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

/** Reads and validates `settings.data`, naming a bad option. */
export function dataSettings(settings: TaskSettings): SummarizationData {
  const d = settings.data;
  knownOptions(owner, d, [
    'target',
    'sourceParagraphs',
    'maxSourceTokens',
    'maxTargetTokens',
    'vocabularySize',
    'minFrequency',
    'maxSourceOovs',
    'lowercase',
    'maxSentences',
    'maxSentenceWords',
    'targetOrder',
    'outputOrder',
    'wordBudget',
  ]);
  const wordBudget = d.wordBudget ?? dataDefaults.wordBudget;
  if (
    wordBudget !== 'learned' &&
    !(typeof wordBudget === 'number' && wordBudget >= 0 && wordBudget <= 1)
  ) {
    throw new ConfigError(
      `${owner}: option 'wordBudget' must be 'learned' or a share of the article's words in [0, 1] (0: none), got ${JSON.stringify(wordBudget)}`,
    );
  }
  const sourceParagraphs = d.sourceParagraphs ?? 0;
  if (!Number.isInteger(sourceParagraphs) || (sourceParagraphs as number) < 0) {
    throw new ConfigError(
      `${owner}: option 'sourceParagraphs' must be 0 (all) or a positive integer, got ${JSON.stringify(sourceParagraphs)}`,
    );
  }
  const lowercase = d.lowercase ?? dataDefaults.lowercase;
  if (typeof lowercase !== 'boolean') {
    throw new ConfigError(`${owner}: option 'lowercase' must be true or false`);
  }
  const vocabularySize = positiveInt(
    owner,
    'vocabularySize',
    d.vocabularySize ?? dataDefaults.vocabularySize,
  );
  if (vocabularySize < 5) {
    throw new ConfigError(
      `${owner}: option 'vocabularySize' must leave room beside the 4 specials`,
    );
  }
  return {
    target: oneOf(owner, 'target', d.target ?? 'summary', ['summary', 'headline']),
    sourceParagraphs: sourceParagraphs as number,
    maxSourceTokens: positiveInt(owner, 'maxSourceTokens', d.maxSourceTokens ?? 200),
    maxTargetTokens: positiveInt(owner, 'maxTargetTokens', d.maxTargetTokens ?? 80),
    vocabularySize,
    minFrequency: positiveInt(owner, 'minFrequency', d.minFrequency ?? dataDefaults.minFrequency),
    maxSourceOovs: positiveInt(
      owner,
      'maxSourceOovs',
      d.maxSourceOovs ?? dataDefaults.maxSourceOovs,
    ),
    lowercase,
    maxSentences: positiveInt(owner, 'maxSentences', d.maxSentences ?? dataDefaults.maxSentences),
    maxSentenceWords: positiveInt(
      owner,
      'maxSentenceWords',
      d.maxSentenceWords ?? dataDefaults.maxSentenceWords,
    ),
    targetOrder: oneOf(owner, 'targetOrder', d.targetOrder ?? dataDefaults.targetOrder, [
      'gain',
      'article',
      'reference',
    ]),
    outputOrder: oneOf(owner, 'outputOrder', d.outputOrder ?? dataDefaults.outputOrder, [
      'article',
      'pointer',
    ]),
    wordBudget,
  };
}
