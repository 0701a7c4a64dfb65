import { type ComponentConfig, parseOptions, registry, type TaskSettings } from '@s2s/core';
import { bpeTrainingOptions } from '@s2s/data';
import { z } from 'zod';

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

const count = z.int().positive();

/**
 * The translation task's `data` block as a schema, defaults filled in: what
 * {@link dataSettings} checks, and what a `--config` file's `data` may hold for this task.
 */
export const translationDataSchema = z
  .strictObject({
    maxWords: count
      .default(dataDefaults.maxWords)
      .describe('Pairs with more words than this on either side are skipped when reading'),
    maxInputWords: count
      .default(dataDefaults.maxInputWords)
      .describe('encode rejects an input with more words than this (at least maxWords)'),
    tokenizer: z
      .looseObject({ name: z.string().describe('The registered tokenizer: bpe, word, character') })
      .default(dataDefaults.tokenizer)
      .describe(
        "The tokenizer for both languages with its options; 'bpe' without 'merges' learns them (vocabSize, minFrequency)",
      ),
    minFrequency: count
      .default(dataDefaults.minFrequency)
      .describe('Tokens seen fewer times than this in training map to <unk>'),
    maxVocabSize: z
      .int()
      .min(5, 'must leave room for a token beside the 4 specials')
      .default(dataDefaults.maxVocabSize)
      .describe('Largest source and target vocabulary, specials included'),
    maxDevExamples: count
      .default(dataDefaults.maxDevExamples)
      .describe('Cap on the held-out sentences of the split by source'),
  })
  .superRefine((d, ctx) => {
    if (d.maxInputWords < d.maxWords) {
      ctx.addIssue({
        code: 'custom',
        message: `maxInputWords (${d.maxInputWords}) must be at least maxWords (${d.maxWords})`,
      });
    }
  })
  .describe('The translation task: length limits, tokenizer and vocabularies');

/**
 * The data settings of `settings`, defaults filled in and every value validated, so a typo
 * in a config file fails before any data is read. The tokenizer's options are checked
 * against that tokenizer's own schema (BPE training's, for `bpe` without `merges`).
 */
export function dataSettings(settings: Pick<TaskSettings, 'data'>): TranslationDataSettings {
  const owner = 'translation settings';
  const data = parseOptions(owner, translationDataSchema, settings.data ?? {}, 'data');
  checkTokenizer(owner, data.tokenizer, 'data.tokenizer');
  return data;
}

/**
 * Checks a tokenizer config by its registry name, naming a bad option by `path`: `bpe`
 * without `merges` against BPE training's options (it is learned from the data), any other
 * against the schema the tokenizer registered. An unknown name lists the registered ones.
 */
export function checkTokenizer(owner: string, config: ComponentConfig, path: string): void {
  const { name, ...options } = config;
  const schema =
    name === 'bpe' && !('merges' in options)
      ? bpeTrainingOptions
      : registry.get('tokenizer', name).options;
  if (schema) parseOptions(`${owner}: tokenizer '${name}'`, schema, options, path);
}

/** Number of words in `text`: runs of non-space characters. */
export function countWords(text: string): number {
  return text.split(/\s+/u).filter((word) => word !== '').length;
}
