import {
  ConfigError,
  type Task,
  type TaskExample,
  type TaskReadOptions,
  type TaskSettings,
  type TaskSplit,
} from '@s2s/core';
import { buildVocabulary, TokenCounter } from '@s2s/data';
import { fitTokenizer } from './pipeline/fit-tokenizer.js';
import { TranslationPipeline } from './pipeline/translation-pipeline.js';
import { translationExamples } from './reading/read-examples.js';
import { splitBySource } from './reading/split-by-source.js';
import { dataSettings, translationDataSchema } from './settings/data-settings.js';
import { translationDefaults } from './settings/defaults.js';

/**
 * English→French translation (or any `source<TAB>target` pairs): reads TSV pairs, learns a
 * joint BPE and two vocabularies, builds an attentional encoder–decoder, scores with
 * sacreBLEU-compatible BLEU and chrF. Registered as the task `translation`.
 */
export class TranslationTask implements Task {
  readonly name = 'translation';
  readonly description =
    'translate sentences (english<TAB>french pairs): attentional LSTM encoder-decoder, BLEU';
  readonly defaults: TaskSettings = translationDefaults;
  /** The schema of `settings.data`, for a config file's `data` block. */
  readonly dataSchema = translationDataSchema;

  /**
   * Streams the pairs of a TSV file with at most `data.maxWords` words a side (all of them
   * with `keepAll`), telling `onSkip` of each pair left out. The file is read through
   * `options.readLines` (`readLines` from `@s2s/data/node` in Node).
   */
  read(
    path: string,
    settings: TaskSettings,
    options?: TaskReadOptions,
  ): AsyncIterable<TaskExample> {
    const maxWords = options?.keepAll ? Infinity : dataSettings(settings).maxWords;
    if (!options?.readLines) {
      throw new ConfigError(
        `translation: reading ${path} needs options.readLines, found none; in Node pass readLines from '@s2s/data/node'`,
      );
    }
    return translationExamples(options.readLines(path), path, maxWords, options.onSkip);
  }

  /**
   * Holds out `training.devFraction` of the distinct source sentences (at most
   * `data.maxDevExamples`), each with all its translations as references.
   */
  split(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit {
    const given = settings.training;
    const defaults = this.defaults.training;
    return splitBySource(examples, {
      devFraction: given.devFraction ?? defaults.devFraction ?? 0,
      maxDev: dataSettings(settings).maxDevExamples,
      seed: given.seed ?? defaults.seed ?? 0,
    });
  }

  /** Learns the tokenizer, then a vocabulary per language from the training pairs. */
  async fit(
    examples: readonly TaskExample[],
    settings: TaskSettings,
  ): Promise<TranslationPipeline> {
    const data = dataSettings(settings);
    const tokenizer = await fitTokenizer(data.tokenizer, examples);
    const sources = new TokenCounter();
    const targets = new TokenCounter();
    for (const example of examples) {
      sources.add(tokenizer.encode(example.input));
      targets.add(tokenizer.encode(example.references[0]!));
    }
    const options = { minFrequency: data.minFrequency, maxSize: data.maxVocabSize };
    return new TranslationPipeline({
      tokenizer,
      source: buildVocabulary(sources, options),
      target: buildVocabulary(targets, options),
      maxInputWords: data.maxInputWords,
    });
  }

  restore(json: unknown, settings: TaskSettings): TranslationPipeline {
    return TranslationPipeline.fromJSON(json, dataSettings(settings).maxInputWords);
  }
}

/** The task instance the registry hands out. */
export const translationTask: TranslationTask = new TranslationTask();
