import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  type Batch,
  type BatchOptions,
  type BatchSource,
  ConfigError,
  type DecodedOutput,
  deriveSeed,
  type EncodedSources,
  type Hypothesis,
  type ModelConfig,
  type ModelRecipe,
  makeBatch,
  padSequences,
  parseOptions,
  Rng,
  S2SError,
  type Task,
  type TaskExample,
  type TaskPipeline,
  type TaskScores,
  type TaskSettings,
  Vocabulary,
} from '@s2s/core';
import { z } from 'zod';

/** The name the toy task registers under. */
export const TOY_TASK = 'toy-reverse';

/** The toy task's `data` settings, with their defaults. */
export const toyDataSettings = z.strictObject({
  maxLength: z
    .int()
    .positive()
    .default(20)
    .describe('Longest input in characters the pipeline accepts'),
});

/**
 * A toy task: learn to reverse a string, character by character. Its data is a TSV file of
 * `input<TAB>reference` lines ({@link writeToyData} makes one); it trains a tiny LSTM with
 * additive attention in seconds, so tests and demos of the CLI need no real corpus. It
 * implements every part of the `Task` contract the way a real task does: typed errors
 * naming file and line, a fitted vocabulary, seeded batches, exact-match scoring.
 */
export const toyReverseTask: Task = {
  name: TOY_TASK,
  description: 'toy task: reverse a string character by character (for tests and demos)',
  defaults: {
    model: {
      seed: 1,
      encoder: { name: 'lstm', embeddingSize: 16, hiddenSize: 32 },
      decoder: {
        name: 'attentional',
        embeddingSize: 16,
        hiddenSize: 32,
        attention: { name: 'bahdanau', size: 32 },
      },
    },
    training: { epochs: 2, batchSize: 16, learningRate: 0.01, devFraction: 0.1, seed: 1 },
    search: { name: 'greedy', maxLength: 24 },
    data: { maxLength: 20 },
  },
  read: readToyExamples,
  async fit(examples, settings) {
    const characters = new Set<string>();
    for (const e of examples)
      for (const c of [...e.input, ...e.references.join('')]) characters.add(c);
    return new ToyPipeline(new Vocabulary([...characters].sort()), maxLengthOf(settings));
  },
  restore(json, settings) {
    const saved = json as { vocabulary?: unknown } | null;
    if (!saved?.vocabulary) throw new ConfigError(`${TOY_TASK}: saved pipeline has no vocabulary`);
    return new ToyPipeline(Vocabulary.fromJSON(saved.vocabulary), maxLengthOf(settings));
  },
};

/** Writes `count` random digit strings and their reversals as a TSV file for {@link toyReverseTask}. */
export async function writeToyData(
  path: string,
  options: { count: number; seed: number; minLength?: number; maxLength?: number },
): Promise<void> {
  const rng = new Rng(options.seed);
  const [min, max] = [options.minLength ?? 3, options.maxLength ?? 8];
  const lines = Array.from({ length: options.count }, () => {
    const digits = Array.from({ length: min + rng.int(max - min + 1) }, () => String(rng.int(10)));
    return `${digits.join('')}\t${[...digits].reverse().join('')}\n`;
  });
  await writeFile(path, lines.join(''));
}

async function* readToyExamples(path: string): AsyncIterable<TaskExample> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    const [input, reference, ...rest] = line.split('\t');
    if (!input || !reference || rest.length > 0) {
      throw new S2SError(
        `${path}:${n}: expected 'input<TAB>reference', got ${JSON.stringify(line)}`,
      );
    }
    yield { input, references: [reference], origin: `${path}:${n}` };
  }
}

function maxLengthOf(settings: TaskSettings): number {
  return parseOptions(TOY_TASK, toyDataSettings, settings.data, 'data').maxLength;
}

class ToyPipeline implements TaskPipeline {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly maxLength: number,
  ) {}

  modelConfig(recipe: ModelRecipe): ModelConfig {
    const size = { vocabSize: this.vocabulary.size };
    return { ...recipe, source: size, target: size };
  }

  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    const ids = examples.map((e) => ({
      source: this.vocabulary.encode([...e.input]),
      target: this.vocabulary.encode([...e.references[0]!]),
    }));
    const count = Math.ceil(ids.length / options.batchSize);
    return {
      length: count,
      epoch: (index: number): Iterable<Batch> => {
        const order = [...ids.keys()];
        if (options.shuffle) new Rng(deriveSeed(options.seed, `epoch-${index}`)).shuffle(order);
        const vocabulary = this.vocabulary;
        return (function* () {
          for (let b = 0; b < count; b++) {
            const chosen = order.slice(b * options.batchSize, (b + 1) * options.batchSize);
            yield makeBatch(
              chosen.map((i) => ids[i]!.source),
              chosen.map((i) => ids[i]!.target),
              vocabulary,
            );
          }
        })();
      },
    };
  }

  encode(inputs: readonly string[]): EncodedSources {
    const labels = inputs.map((input) => {
      if (input.length === 0) throw new S2SError('the input is empty');
      if (input.length > this.maxLength) {
        throw new S2SError(
          `the input has ${input.length} characters; this model takes at most ${this.maxLength}`,
        );
      }
      return [...input];
    });
    const { ids, mask } = padSequences(
      labels.map((l) => this.vocabulary.encode(l)),
      this.vocabulary.pad,
    );
    return { source: ids, mask, labels };
  }

  decode(hypothesis: Hypothesis): DecodedOutput {
    const tokens = hypothesis.tokens.map((id) => this.vocabulary.token(id));
    return { text: this.vocabulary.decode(hypothesis.tokens).join(''), tokens };
  }

  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    let exact = 0;
    let correct = 0;
    let total = 0;
    outputs.forEach((output, i) => {
      const reference = examples[i]!.references[0]!;
      if (examples[i]!.references.includes(output)) exact++;
      for (let c = 0; c < reference.length; c++) if (output[c] === reference[c]) correct++;
      total += reference.length;
    });
    return {
      scores: {
        exact_match: outputs.length ? (100 * exact) / outputs.length : 0,
        char_accuracy: total ? (100 * correct) / total : 0,
      },
      primary: 'exact_match',
    };
  }

  toJSON(): unknown {
    return { vocabulary: this.vocabulary.toJSON() };
  }
}
