import {
  type BatchOptions,
  type BatchSource,
  ConfigError,
  type DecodedOutput,
  type EncodedSources,
  type Hypothesis,
  type ModelConfig,
  type ModelRecipe,
  padSequences,
  registry,
  type TaskExample,
  type TaskPipeline,
  type TaskScores,
  type Tokenizer,
  Vocabulary,
  type VocabularyJSON,
} from '@s2s/core';
import { BucketBatchSource, DataError, type Example } from '@s2s/data';
import { countWords } from '../settings/data-settings.js';
import { scoreTranslations } from './score.js';

/** What a {@link TranslationPipeline} needs: a tokenizer, both vocabularies, the input limit. */
export interface TranslationPipelineParts {
  /** Tokenizes both languages. */
  readonly tokenizer: Tokenizer;
  readonly source: Vocabulary;
  readonly target: Vocabulary;
  /** `encode` rejects inputs with more words than this. */
  readonly maxInputWords: number;
}

/** The serialised form of a {@link TranslationPipeline}, saved beside the model. */
export interface TranslationPipelineJSON {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly tokenizer: ReturnType<Tokenizer['toJSON']>;
  readonly vocabularies: { readonly source: VocabularyJSON; readonly target: VocabularyJSON };
}

/**
 * Pairs are sorted by length within pools of this many batches: enough that a batch's
 * pairs have nearly equal lengths (little padding), few enough that an epoch still mixes
 * short and long sentences, as torchtext's BucketIterator does.
 */
export const POOL_BATCHES = 100;

const FORMAT = 's2s-translation-pipeline';
const VERSION = 1;

/**
 * What the translation task learned from its training pairs — a tokenizer shared by both
 * languages and a vocabulary for each — and everything that turns text into model inputs
 * and outputs back into text.
 */
export class TranslationPipeline implements TaskPipeline {
  readonly tokenizer: Tokenizer;
  readonly source: Vocabulary;
  readonly target: Vocabulary;
  readonly maxInputWords: number;

  constructor(parts: TranslationPipelineParts) {
    this.tokenizer = parts.tokenizer;
    this.source = parts.source;
    this.target = parts.target;
    this.maxInputWords = parts.maxInputWords;
    for (const v of [this.source, this.target]) {
      if (v.pad !== 0 || v.bos !== 1 || v.eos !== 2) {
        throw new ConfigError(
          'translation pipeline: vocabularies must put <pad> <bos> <eos> at 0 1 2',
        );
      }
    }
  }

  /** Rebuilds a pipeline from {@link TranslationPipeline.toJSON}, its tokenizer through the registry. */
  static fromJSON(json: unknown, maxInputWords: number): TranslationPipeline {
    const value = json as Partial<TranslationPipelineJSON> | null;
    if (!value || value.format !== FORMAT) {
      throw new ConfigError(`translation pipeline: saved state is not a '${FORMAT}' object`);
    }
    if (value.version !== VERSION) {
      throw new ConfigError(
        `translation pipeline: saved state has version ${value.version}; this package reads version ${VERSION}`,
      );
    }
    if (!value.tokenizer || !value.vocabularies?.source || !value.vocabularies.target) {
      throw new ConfigError(
        "translation pipeline: saved state needs 'tokenizer' and 'vocabularies.source'/'target'",
      );
    }
    return new TranslationPipeline({
      tokenizer: registry.create('tokenizer', value.tokenizer),
      source: Vocabulary.fromJSON(value.vocabularies.source),
      target: Vocabulary.fromJSON(value.vocabularies.target),
      maxInputWords,
    });
  }

  modelConfig(recipe: ModelRecipe): ModelConfig {
    return {
      ...recipe,
      source: { vocabSize: this.source.size },
      target: { vocabSize: this.target.size },
      specials: { pad: this.target.pad, bos: this.target.bos, eos: this.target.eos },
    };
  }

  /**
   * Batches of (input, first reference) pairs, bucketed by length within pools of
   * {@link POOL_BATCHES} batches' worth of shuffled pairs (see `BucketBatchSource`).
   */
  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    const encoded = examples.map(
      (e): Example => ({
        source: this.source.encode(this.tokenizer.encode(e.input)),
        target: this.target.encode(this.tokenizer.encode(e.references[0] ?? '')),
      }),
    );
    return new BucketBatchSource(encoded, {
      specials: this.target,
      seed: options.seed,
      batchSize: options.batchSize,
      poolSize: POOL_BATCHES * options.batchSize,
      shuffle: options.shuffle,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    });
  }

  /**
   * `[B, S]` source ids and mask for raw sentences. An empty line or one with more than
   * `maxInputWords` words is a `DataError` naming the line (1-based) of `inputs`.
   */
  encode(inputs: readonly string[]): EncodedSources {
    const labels = inputs.map((input, i) => {
      const where = { file: 'input', line: i + 1 };
      const words = countWords(input);
      if (words === 0) throw new DataError(where, 'empty input; expected a sentence to translate');
      if (words > this.maxInputWords) {
        throw new DataError(
          where,
          `${words} words, more than maxInputWords ${this.maxInputWords}; split the sentence or raise data.maxInputWords`,
        );
      }
      return this.tokenizer.encode(input);
    });
    if (labels.length === 0) {
      throw new DataError({ file: 'input' }, 'no inputs; expected at least one sentence');
    }
    const { ids, mask } = padSequences(
      labels.map((tokens) => this.source.encode(tokens)),
      this.source.pad,
    );
    return { source: ids, mask, labels };
  }

  /** The detokenised text of a hypothesis and its tokens (`<eos>` included when emitted). */
  decode(hypothesis: Hypothesis, _row: number, _encoded: EncodedSources): DecodedOutput {
    return {
      text: this.tokenizer.decode(this.target.decode(hypothesis.tokens)),
      tokens: hypothesis.tokens.map((id) => this.target.token(id)),
    };
  }

  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    return scoreTranslations(outputs, examples);
  }

  toJSON(): TranslationPipelineJSON {
    return {
      format: FORMAT,
      version: VERSION,
      tokenizer: this.tokenizer.toJSON(),
      vocabularies: { source: this.source.toJSON(), target: this.target.toJSON() },
    };
  }
}
