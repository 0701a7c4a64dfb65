import {
  type Batch,
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
import { BucketBatchSource, buildVocabulary, TokenCounter, WordTokenizer } from '@s2s/data';
import * as tf from '@tensorflow/tfjs';
import { splitSentences } from '../article/sentences.js';
import { articleBody, rougeScores } from '../pipeline/summarization-pipeline.js';
import type { SummarizationData } from '../task/data-settings.js';
import { referenceShare, withinBudget } from './budget.js';
import { greedyOracle, referenceOrder } from './oracle.js';

/** What {@link ExtractivePipeline.toJSON} saves. */
export interface ExtractivePipelineJSON {
  readonly kind: 'extractive';
  readonly vocabulary: unknown;
  readonly data: SummarizationData;
  /** The word budget as a share of the article's words; 0 is none. */
  readonly budget: number;
}

/** Target id of sentence 0: the four specials of a core `Vocabulary` come first. */
export const FIRST_SENTENCE = 4;

/**
 * The extractive summarization pipeline: an article is its first `maxSentences` sentences,
 * each its first `maxSentenceWords` word ids, a `[B, N, W]` source for the hierarchical
 * encoder; the target is the greedy ROUGE oracle's sentences, in the order `targetOrder`
 * names (most gain first, article order, or the reference's order), as ids
 * `FIRST_SENTENCE + i` that a `pointer` output names. Decoding turns the chosen
 * sentences back into text, in article or pointer order, up to the word budget.
 */
export class ExtractivePipeline implements TaskPipeline {
  /** Sentence numbers as target tokens: `#0`, `#1`, … */
  readonly targets: Vocabulary;
  private readonly tokenizer: WordTokenizer;
  private readonly oracles = new Map<string, readonly number[]>();

  constructor(
    readonly vocabulary: Vocabulary,
    readonly data: SummarizationData,
    /** Share of the article's words the output may hold; 0 leaves length to `<eos>`. */
    readonly budget: number,
  ) {
    this.tokenizer = new WordTokenizer({ lowercase: data.lowercase, elisions: [] });
    this.targets = new Vocabulary(Array.from({ length: data.maxSentences }, (_, i) => `#${i}`));
  }

  /**
   * Learns the word vocabulary from the training articles and, with `wordBudget:
   * 'learned'`, the budget: the mean share of an article's words its reference holds.
   */
  static fit(examples: readonly TaskExample[], data: SummarizationData): ExtractivePipeline {
    const counter = new TokenCounter();
    const probe = new ExtractivePipeline(new Vocabulary([]), data, 0);
    for (const e of examples) {
      for (const s of probe.sentences(e.input)) counter.add(probe.tokenizer.encode(s));
    }
    const vocabulary = buildVocabulary(counter, {
      maxSize: data.vocabularySize,
      minFrequency: data.minFrequency,
    });
    const budget = data.wordBudget === 'learned' ? referenceShare(examples) : data.wordBudget;
    return new ExtractivePipeline(vocabulary, data, budget);
  }

  /** Rebuilds a pipeline from {@link ExtractivePipeline.toJSON}. */
  static fromJSON(json: unknown): ExtractivePipeline {
    const saved = json as Partial<ExtractivePipelineJSON> | null;
    if (saved?.kind !== 'extractive' || !saved.vocabulary || !saved.data) {
      throw new ConfigError(
        'summarization: a saved extractive pipeline needs kind "extractive", "vocabulary" and "data"',
      );
    }
    if (typeof saved.budget !== 'number' || !(saved.budget >= 0)) {
      throw new ConfigError(
        `summarization: a saved extractive pipeline needs a budget ≥ 0, found ${JSON.stringify(saved.budget)}`,
      );
    }
    return new ExtractivePipeline(Vocabulary.fromJSON(saved.vocabulary), saved.data, saved.budget);
  }

  modelConfig(recipe: ModelRecipe): ModelConfig {
    const output = recipe.output ?? { name: 'softmax' };
    if (output.name !== 'pointer') {
      throw new ConfigError(
        `summarization: the extractive pipeline points at sentences; the model's output must be 'pointer', found '${output.name}'`,
      );
    }
    return {
      ...recipe,
      source: { vocabSize: this.vocabulary.size },
      target: { vocabSize: this.targets.size },
      output: { ...output, firstPosition: FIRST_SENTENCE, eos: this.targets.eos },
    };
  }

  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    const rows = examples.map((e) => {
      const sentences = this.sentences(e.input);
      const picks = this.oracle(sentences, e.references[0] ?? '');
      return {
        sentences: this.sentenceIds(sentences),
        target: picks.map((i) => FIRST_SENTENCE + i),
      };
    });
    // The planner buckets by padded passage size (N × W) and target length.
    const planner = new BucketBatchSource(
      rows.map((r) => ({ source: new Array(passageSize(r.sentences)).fill(0), target: r.target })),
      {
        specials: this.targets,
        seed: options.seed,
        batchSize: options.batchSize,
        shuffle: options.shuffle,
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      },
    );
    const { pad } = this.vocabulary;
    const specials = this.targets;
    return {
      get length() {
        return planner.length;
      },
      *epoch(index: number): Generator<Batch> {
        for (const plan of planner.plan(index)) {
          const chosen = plan.map((r) => rows[r]!);
          const { source, mask } = sentenceTensors(
            chosen.map((r) => r.sentences),
            pad,
          );
          const targetIn = padSequences(
            chosen.map((r) => [specials.bos, ...r.target]),
            specials.pad,
          );
          const targetOut = padSequences(
            chosen.map((r) => [...r.target, specials.eos]),
            specials.pad,
          );
          targetIn.mask.dispose();
          yield {
            source,
            sourceMask: mask,
            targetIn: targetIn.ids,
            targetOut: targetOut.ids,
            targetMask: targetOut.mask,
          };
        }
      },
    };
  }

  encode(inputs: readonly string[]): EncodedSources {
    const sentences = inputs.map((input) => {
      const s = this.sentences(input);
      if (s.length === 0)
        throw new S2SError('the input is empty: there is no article to summarize');
      return s;
    });
    const { source, mask } = sentenceTensors(
      sentences.map((s) => this.sentenceIds(s)),
      this.vocabulary.pad,
    );
    // Each label is the sentence with its number, so plots show which sentence is which
    // and decode() can give the sentence back.
    return { source, mask, labels: sentences.map((s) => s.map((text, i) => `#${i} ${text}`)) };
  }

  decode(hypothesis: Hypothesis, row: number, encoded: EncodedSources): DecodedOutput {
    const labels = encoded.labels[row] ?? [];
    const tokens = hypothesis.tokens.map((id) => this.targets.token(id));
    const picks: number[] = [];
    for (const id of hypothesis.tokens) {
      if (id === this.targets.eos) break;
      const i = id - FIRST_SENTENCE;
      if (i >= 0 && i < labels.length && !picks.includes(i)) picks.push(i);
    }
    const texts = labels.map((l) => l.slice(l.indexOf(' ') + 1));
    const kept = withinBudget(picks, texts, this.budget);
    const ordered = this.data.outputOrder === 'article' ? [...kept].sort((a, b) => a - b) : kept;
    return { text: ordered.map((i) => texts[i]).join(' '), tokens };
  }

  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    return rougeScores(outputs, examples, 'rouge2');
  }

  toJSON(): ExtractivePipelineJSON {
    return {
      kind: 'extractive',
      vocabulary: this.vocabulary.toJSON(),
      data: this.data,
      budget: this.budget,
    };
  }

  /** The first `maxSentences` sentences of an input (an article body or a `{"text"}` record). */
  sentences(input: string): string[] {
    return splitSentences(articleBody(input)).slice(0, this.data.maxSentences);
  }

  /**
   * The greedy oracle's picks for an article in `targetOrder`, remembered per article and
   * reference.
   */
  oracle(sentences: readonly string[], reference: string): readonly number[] {
    const key = `${sentences.join('\n')}\u0000${reference}`;
    let picks = this.oracles.get(key);
    if (!picks) {
      const gain = greedyOracle(sentences, reference).picks;
      const order = this.data.targetOrder;
      picks =
        order === 'gain'
          ? gain
          : order === 'article'
            ? [...gain].sort((a, b) => a - b)
            : referenceOrder(sentences, gain, reference);
      this.oracles.set(key, picks);
    }
    return picks;
  }

  private sentenceIds(sentences: readonly string[]): number[][] {
    return sentences.map((s) =>
      this.vocabulary.encode(this.tokenizer.encode(s).slice(0, this.data.maxSentenceWords)),
    );
  }
}

/**
 * `[B, N, W]` int32 word ids (N the most sentences, W the longest sentence, right-padded
 * with `pad`) and the `[B, N]` sentence mask.
 */
export function sentenceTensors(
  articles: readonly (readonly (readonly number[])[])[],
  pad: number,
): { source: tf.Tensor3D; mask: tf.Tensor2D } {
  const b = articles.length;
  const n = Math.max(1, ...articles.map((a) => a.length));
  const w = Math.max(1, ...articles.flatMap((a) => a.map((s) => s.length)));
  const ids = new Int32Array(b * n * w).fill(pad);
  const mask = new Float32Array(b * n);
  articles.forEach((a, row) => {
    a.forEach((sentence, i) => {
      ids.set(sentence, (row * n + i) * w);
      mask[row * n + i] = 1;
    });
  });
  return { source: tf.tensor3d(ids, [b, n, w], 'int32'), mask: tf.tensor2d(mask, [b, n]) };
}

function passageSize(sentences: readonly (readonly number[])[]): number {
  return sentences.length * Math.max(1, ...sentences.map((s) => s.length));
}
