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
  S2SError,
  type TaskExample,
  type TaskPipeline,
  type TaskScores,
  Vocabulary,
} from '@s2s/core';
import { BucketBatchSource, DataError, WordTokenizer } from '@s2s/data';
import { parseStoryInput, type StoryInput } from '../input/story-input.js';
import type { ComprehensionData } from '../settings/data-settings.js';
import { answerScores } from './answer-scores.js';
import { passageTensors, questionInputs, type StoryIds, storyBatch } from './story-tensors.js';

/** Separates the items of a list answer (`apple,football`) and of a path (`n,w`). */
export const ANSWER_SEPARATOR = ',';

/** What {@link ComprehensionPipeline.toJSON} saves. */
export interface ComprehensionPipelineJSON {
  readonly words: unknown;
  readonly answers: unknown;
}

const tokenizer = new WordTokenizer({ lowercase: true, elisions: [] });
const isWord = /[\p{L}\p{N}]/u;

/** Lower-cased words of a sentence, punctuation dropped (as memory networks read bAbI). */
export function words(text: string): string[] {
  return tokenizer.encode(text).filter((t) => isWord.test(t));
}

/** The items of an answer: `apple,football` → [apple, football]. */
export function answerItems(answer: string): string[] {
  return answer
    .split(ANSWER_SEPARATOR)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.length > 0);
}

/**
 * What the comprehension task learns from its training data: a word vocabulary for
 * stories and questions and an answer vocabulary for the decoder. A story becomes the
 * `[B, N, W]` passage source (its last `maxSentences` sentences); the question and the
 * supporting-fact ranks travel as named inputs (`question`, `questionMask`, `support`).
 */
export class ComprehensionPipeline implements TaskPipeline {
  constructor(
    readonly words: Vocabulary,
    readonly answers: Vocabulary,
    readonly data: ComprehensionData,
  ) {
    if (words.pad !== answers.pad) {
      throw new ConfigError('comprehension: word and answer vocabularies must share the pad id');
    }
  }

  /** Learns both vocabularies from training examples. */
  static fit(examples: readonly TaskExample[], data: ComprehensionData): ComprehensionPipeline {
    const wordSet = new Set<string>();
    const answerSet = new Set<string>();
    for (const example of examples) {
      const input = parseStoryInput(example.input);
      for (const text of [...input.story, input.question])
        for (const w of words(text)) wordSet.add(w);
      for (const item of answerItems(example.references[0] ?? '')) answerSet.add(item);
    }
    return new ComprehensionPipeline(
      new Vocabulary([...wordSet].sort()),
      new Vocabulary([...answerSet].sort()),
      data,
    );
  }

  /** Rebuilds a pipeline from {@link ComprehensionPipeline.toJSON}. */
  static fromJSON(json: unknown, data: ComprehensionData): ComprehensionPipeline {
    const saved = json as Partial<ComprehensionPipelineJSON> | null;
    if (!saved?.words || !saved.answers) {
      throw new ConfigError(
        'comprehension: a saved pipeline needs "words" and "answers" vocabularies',
      );
    }
    return new ComprehensionPipeline(
      Vocabulary.fromJSON(saved.words),
      Vocabulary.fromJSON(saved.answers),
      data,
    );
  }

  modelConfig(recipe: ModelRecipe): ModelConfig {
    return {
      ...recipe,
      source: { vocabSize: this.words.size },
      target: { vocabSize: this.answers.size },
    };
  }

  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    const ids = examples.map((example) => {
      const answer = this.answers.encode(answerItems(example.references[0] ?? ''));
      if (answer.length === 0) {
        throw new DataError({ file: example.origin ?? 'examples' }, 'the answer is empty');
      }
      return { ...this.storyIds(parseStoryInput(example.input)), answer };
    });
    // The bucketing planner sees each example's padded passage size and its answer.
    const planner = new BucketBatchSource(
      ids.map((e) => ({ source: new Array(passageSize(e)).fill(0), target: e.answer })),
      {
        specials: this.answers,
        seed: options.seed,
        batchSize: options.batchSize,
        shuffle: options.shuffle,
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      },
    );
    const shape = this.data.question;
    const specials = this.answers;
    return {
      get length() {
        return planner.length;
      },
      *epoch(index: number): Generator<Batch> {
        for (const rows of planner.plan(index)) {
          yield storyBatch(
            rows.map((r) => ids[r]!),
            specials,
            shape,
          );
        }
      },
    };
  }

  encode(inputs: readonly string[]): EncodedSources {
    const parsed = inputs.map((line) => parseStoryInput(line));
    const ids = parsed.map((input) => ({ ...this.storyIds(input), answer: [] }));
    const { source, mask } = passageTensors(ids, this.words.pad);
    return {
      source,
      mask,
      inputs: questionInputs(ids, this.words.pad, this.data.question),
      labels: parsed.map((input) => input.story.slice(-this.data.maxSentences)),
    };
  }

  decode(hypothesis: Hypothesis): DecodedOutput {
    const tokens = hypothesis.tokens.map((id) => this.answers.token(id));
    return { text: this.answers.decode(hypothesis.tokens).join(ANSWER_SEPARATOR), tokens };
  }

  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    return answerScores(outputs, examples);
  }

  toJSON(): ComprehensionPipelineJSON {
    return { words: this.words.toJSON(), answers: this.answers.toJSON() };
  }

  /** The kept sentences, question and support ranks of an input, as ids. */
  private storyIds(input: StoryInput): Omit<StoryIds, 'answer'> {
    const keep = this.data.maxSentences;
    const dropped = Math.max(0, input.story.length - keep);
    const sentences = input.story.slice(dropped).map((s) => this.words.encode(words(s)));
    const question = this.words.encode(words(input.question));
    if (question.length === 0) throw new S2SError('the question has no words');
    const support = new Array<number>(sentences.length).fill(0);
    (input.support ?? []).forEach((index, rank) => {
      // A supporting fact older than the kept sentences is out of the model's sight.
      if (index >= dropped) support[index - dropped] = rank + 1;
    });
    return { sentences, question, support };
  }
}

function passageSize(e: Omit<StoryIds, 'answer'>): number {
  return e.sentences.length * Math.max(1, ...e.sentences.map((s) => s.length));
}
