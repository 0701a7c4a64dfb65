import {
  type ComponentConfig,
  ConfigError,
  knownOptions,
  positiveInt,
  type TaskSettings,
} from '@s2s/core';

/** The translation task's `settings.data`. */
export interface TranslationDataSettings {
  /**
   * Pairs with more words than this on either side (split at spaces) are skipped when
   * reading, as the classic English→French recipes do. Default 12.
   */
  readonly maxWords: number;
  /**
   * `encode` rejects an input with more words than this: the model never saw sentences
   * that long, and a paragraph pasted by mistake would otherwise decode for a long time.
   * Default 36.
   */
  readonly maxInputWords: number;
  /**
   * The tokenizer for both languages, by registry name with its options. `bpe` without
   * `merges` learns them from the training pairs of both languages together (joint BPE,
   * Sennrich et al. 2016) with `vocabSize` and `minFrequency`. Default
   * `{ name: 'bpe', vocabSize: 8000 }`.
   */
  readonly tokenizer: ComponentConfig;
  /** Tokens seen fewer times than this in training map to `<unk>`. Default 1. */
  readonly minFrequency: number;
  /** Largest source and target vocabulary, specials included. Default 16000. */
  readonly maxVocabSize: number;
  /** Cap on the held-out sentences of {@link splitBySource}. Default 2000. */
  readonly maxDevExamples: number;
}

/** Defaults of {@link TranslationDataSettings}. */
export const dataDefaults: TranslationDataSettings = {
  maxWords: 12,
  maxInputWords: 36,
  tokenizer: { name: 'bpe', vocabSize: 8000 },
  minFrequency: 1,
  maxVocabSize: 16000,
  maxDevExamples: 2000,
};

const known = Object.keys(dataDefaults);

/**
 * The data settings of `settings`, defaults filled in and every value validated, so a typo
 * in a config file fails before any data is read.
 */
export function dataSettings(settings: Pick<TaskSettings, 'data'>): TranslationDataSettings {
  const given = settings.data ?? {};
  knownOptions('translation data', given, known);
  const data = { ...dataDefaults, ...given } as TranslationDataSettings;
  for (const key of [
    'maxWords',
    'maxInputWords',
    'minFrequency',
    'maxVocabSize',
    'maxDevExamples',
  ] as const) {
    positiveInt('translation data', key, data[key]);
  }
  if (data.maxInputWords < data.maxWords) {
    throw new ConfigError(
      `translation data: option 'maxInputWords' (${data.maxInputWords}) must be at least 'maxWords' (${data.maxWords})`,
    );
  }
  const tokenizer = data.tokenizer as Partial<ComponentConfig> | undefined;
  if (typeof tokenizer !== 'object' || tokenizer === null || typeof tokenizer.name !== 'string') {
    throw new ConfigError(
      `translation data: option 'tokenizer' must be a tokenizer config such as { name: 'bpe', vocabSize: 8000 } or { name: 'word' }, got ${JSON.stringify(tokenizer)}`,
    );
  }
  if (data.maxVocabSize < 5) {
    throw new ConfigError(
      `translation data: option 'maxVocabSize' must leave room for a token beside the 4 specials, got ${data.maxVocabSize}`,
    );
  }
  return data;
}

/** Number of words in `text`: runs of non-space characters. */
export function countWords(text: string): number {
  return text.split(/\s+/u).filter((word) => word !== '').length;
}
