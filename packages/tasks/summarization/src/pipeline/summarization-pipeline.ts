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
  S2SError,
  type TaskExample,
  type TaskPipeline,
  type TaskScores,
  Vocabulary,
} from '@s2s/core';
import { buildVocabulary, TokenCounter, WordTokenizer } from '@s2s/data';
import { EXTENDED_IDS, extendedToken, extendSource } from '@s2s/decoders';
import { meanRouge } from '@s2s/metrics';
import * as tf from '@tensorflow/tfjs';
import { parseArticle } from '../article/article.js';
import { splitParagraphs, splitSentences } from '../article/sentences.js';
import type { SummarizationData } from '../task/data-settings.js';
import { CopyBatchSource, type TokenizedExample } from './copy-batch-source.js';

/** The ROUGE settings every score here uses: rouge-score's, with its Porter stemmer. */
export const ROUGE_SIGNATURE = 'rouge-score F1 (mean over documents), Porter stemmer, lower-cased';

/**
 * What the summarization task learns from its training data: one vocabulary shared by
 * articles and summaries (the copy mechanism needs a word's source and target ids to
 * agree), and the data settings. With `copy` (a `pointer-generator` output), each source
 * also carries its extended-vocabulary ids, and target words outside the vocabulary that the
 * article holds are trained as copies.
 */
export class SummarizationPipeline implements TaskPipeline {
  private readonly tokenizer: WordTokenizer;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly data: SummarizationData,
    readonly copy: boolean,
  ) {
    this.tokenizer = new WordTokenizer({ lowercase: data.lowercase, elisions: [] });
  }

  /** Counts the training sources and targets and keeps the most frequent words. */
  static fit(
    examples: readonly TaskExample[],
    data: SummarizationData,
    copy: boolean,
  ): SummarizationPipeline {
    const counter = new TokenCounter();
    const probe = new SummarizationPipeline(new Vocabulary([]), data, copy);
    for (const e of examples) {
      counter.add(probe.sourceTokens(e.input));
      counter.add(probe.targetTokens(e.references[0]!));
    }
    const vocabulary = buildVocabulary(counter, {
      maxSize: data.vocabularySize,
      minFrequency: data.minFrequency,
    });
    return new SummarizationPipeline(vocabulary, data, copy);
  }

  /** Rebuilds a pipeline from {@link SummarizationPipeline.toJSON}. */
  static fromJSON(json: unknown): SummarizationPipeline {
    const saved = json as { vocabulary?: unknown; data?: SummarizationData; copy?: unknown } | null;
    if (!saved?.vocabulary || !saved.data || typeof saved.copy !== 'boolean') {
      throw new ConfigError(
        'summarization: a saved pipeline needs "vocabulary", "data" and "copy"',
      );
    }
    return new SummarizationPipeline(Vocabulary.fromJSON(saved.vocabulary), saved.data, saved.copy);
  }

  modelConfig(recipe: ModelRecipe): ModelConfig {
    const size = { vocabSize: this.vocabulary.size };
    const output = recipe.output ?? { name: 'softmax' };
    if ((output.name === 'pointer-generator') !== this.copy) {
      throw new ConfigError(
        `summarization: the pipeline was fitted ${this.copy ? 'with' : 'without'} a copy mechanism but the model's output is '${output.name}'`,
      );
    }
    if (!this.copy) return { ...recipe, source: size, target: size };
    if (output.maxSourceOovs !== undefined && output.maxSourceOovs !== this.data.maxSourceOovs) {
      throw new ConfigError(
        "summarization: set the extended-vocabulary size as 'data.maxSourceOovs', not in the output config",
      );
    }
    return {
      ...recipe,
      source: size,
      target: size,
      output: { ...output, maxSourceOovs: this.data.maxSourceOovs },
    };
  }

  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    return new CopyBatchSource(
      examples.map((e) => this.tokenize(e)),
      this.vocabulary,
      this.copy ? this.data.maxSourceOovs : 0,
      options,
    );
  }

  encode(inputs: readonly string[]): EncodedSources {
    const labels = inputs.map((input) => {
      const tokens = this.sourceTokens(input);
      if (tokens.length === 0)
        throw new S2SError('the input is empty: there is no article to summarize');
      return tokens;
    });
    const { ids, mask } = padSequences(
      labels.map((l) => this.vocabulary.encode(l)),
      this.vocabulary.pad,
    );
    if (!this.copy) return { source: ids, mask, labels };
    const extended = padSequences(
      labels.map((l) => extendSource(l, this.vocabulary, this.data.maxSourceOovs).ids),
      this.vocabulary.pad,
    );
    extended.mask.dispose();
    return { source: ids, mask, inputs: { [EXTENDED_IDS]: extended.ids }, labels };
  }

  decode(hypothesis: Hypothesis, row: number, encoded: EncodedSources): DecodedOutput {
    const oovs = this.copy
      ? extendSource(encoded.labels[row] ?? [], this.vocabulary, this.data.maxSourceOovs).oovs
      : [];
    const v = this.vocabulary;
    const tokens = hypothesis.tokens.map((id) => extendedToken(id, v, oovs));
    const end = hypothesis.tokens.indexOf(v.eos);
    const words = tokens.filter((_, i) => {
      const id = hypothesis.tokens[i]!;
      return (end < 0 || i < end) && id !== v.pad && id !== v.bos;
    });
    return { text: this.tokenizer.decode(words), tokens };
  }

  /**
   * Mean ROUGE-1, ROUGE-2 and ROUGE-L F1 against each example's first reference. The
   * primary score is ROUGE-2 for summaries (bigram overlap separates a copied lead from a
   * paraphrase best) and ROUGE-L for headlines (bigram matches are too sparse in 8 words).
   */
  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    return rougeScores(outputs, examples, this.data.target === 'headline' ? 'rougeL' : 'rouge2');
  }

  toJSON(): unknown {
    return { vocabulary: this.vocabulary.toJSON(), data: this.data, copy: this.copy };
  }

  /**
   * The source tokens of an input: the article body, or a whole `{"text": …}` record (its
   * headline dropped), cut to the first `sourceParagraphs` and `maxSourceTokens`.
   */
  sourceTokens(input: string): string[] {
    const paragraphs = splitParagraphs(articleBody(input));
    const kept =
      this.data.sourceParagraphs > 0 ? paragraphs.slice(0, this.data.sourceParagraphs) : paragraphs;
    return this.tokenizer.encode(kept.join('\n\n')).slice(0, this.data.maxSourceTokens);
  }

  /**
   * The training target's tokens: whole leading sentences that fit in `maxTargetTokens`
   * (so the model learns to stop at a sentence end), or the first sentence cut to fit.
   */
  targetTokens(reference: string): string[] {
    const max = this.data.maxTargetTokens;
    const out: string[] = [];
    for (const sentence of splitSentences(reference)) {
      const tokens = this.tokenizer.encode(sentence);
      if (out.length + tokens.length > max) {
        if (out.length === 0) out.push(...tokens.slice(0, max));
        break;
      }
      out.push(...tokens);
    }
    return out;
  }

  private tokenize(example: TaskExample): TokenizedExample {
    const source = this.sourceTokens(example.input);
    const target = this.targetTokens(example.references[0]!);
    return { source, target };
  }
}

/**
 * Mean ROUGE-1, ROUGE-2 and ROUGE-L F1 of outputs against each example's first reference,
 * as rouge-score computes them with the Porter stemmer (see {@link ROUGE_SIGNATURE}).
 */
export function rougeScores(
  outputs: readonly string[],
  examples: readonly TaskExample[],
  primary: 'rouge2' | 'rougeL',
): TaskScores {
  const mean = meanRouge(
    outputs,
    examples.map((e) => e.references[0]!),
    { useStemmer: true },
  );
  return {
    scores: {
      rouge1: 100 * mean.rouge1!.fmeasure,
      rouge2: 100 * mean.rouge2!.fmeasure,
      rougeL: 100 * mean.rougeL!.fmeasure,
    },
    primary,
    signature: ROUGE_SIGNATURE,
  };
}

/** An input line's article body: a `{"text": …}` record's (headline dropped), or the line itself. */
export function articleBody(input: string): string {
  return recordBody(input) ?? input;
}

/** The body of a `{"text": …}` JSON record given as one input line, or undefined. */
function recordBody(input: string): string | undefined {
  if (!input.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(input) as { text?: unknown };
    return typeof value?.text === 'string' ? parseArticle(value.text).body : undefined;
  } catch {
    return undefined;
  }
}

/** Disposes the tensors of {@link SummarizationPipeline.encode}'s result. */
export function disposeEncoded(encoded: EncodedSources): void {
  tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs ?? {})]);
}
