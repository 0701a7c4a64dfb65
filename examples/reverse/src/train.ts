import * as tf from '@tensorflow/tfjs';
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import {
  disposeBatch,
  type Hypothesis,
  type ModelConfig,
  makeBatch,
  padSequences,
  Rng,
  type Seq2Seq,
  Trainer,
} from '@s2s/core';
import { GreedySearch } from '@s2s/search';
import { digits, type Example } from './reverse-task.js';

/** The demo model: every part named, so it is rebuilt from this config alone. */
export function reverseModelConfig(
  seed: number,
  size: { embedding: number; hidden: number },
): ModelConfig {
  return {
    seed,
    source: { vocabSize: digits.size },
    target: { vocabSize: digits.size },
    encoder: { name: 'lstm', embeddingSize: size.embedding, hiddenSize: size.hidden },
    decoder: {
      name: 'attentional',
      embeddingSize: size.embedding,
      hiddenSize: size.hidden,
      attention: { name: 'bahdanau', size: size.hidden },
    },
  };
}

/** Trains on shuffled mini-batches; calls `onStep` after each step. */
export function train(
  model: Seq2Seq,
  examples: readonly Example[],
  options: {
    steps: number;
    batchSize: number;
    learningRate: number;
    seed: number;
    onStep?: (step: number, loss: number) => void;
  },
): void {
  const trainer = new Trainer(model, { learningRate: options.learningRate, seed: options.seed });
  const rng = new Rng(options.seed);
  const order = [...examples.keys()];
  let cursor = order.length;
  for (let step = 1; step <= options.steps; step++) {
    if (cursor + options.batchSize > order.length) {
      rng.shuffle(order);
      cursor = 0;
    }
    const chosen = order.slice(cursor, cursor + options.batchSize).map((i) => examples[i]!);
    cursor += options.batchSize;
    const batch = makeBatch(
      chosen.map((e) => e.source),
      chosen.map((e) => e.target),
      digits,
    );
    const { loss } = trainer.step(batch);
    disposeBatch(batch);
    options.onStep?.(step, loss);
  }
  trainer.dispose();
}

/** Greedy-decodes every example; returns the hypotheses and the exact-match rate. */
export async function evaluate(
  model: Seq2Seq,
  examples: readonly Example[],
  batchSize = 128,
): Promise<{ exactMatch: number; hypotheses: Hypothesis[] }> {
  const hypotheses: Hypothesis[] = [];
  const search = new GreedySearch();
  for (let i = 0; i < examples.length; i += batchSize) {
    const chunk = examples.slice(i, i + batchSize);
    const { ids, mask } = padSequences(
      chunk.map((e) => e.source),
      digits.pad,
    );
    const maxLength = Math.max(...chunk.map((e) => e.target.length)) + 2;
    const results = await model.generate(ids, mask, search, { maxLength });
    tf.dispose([ids, mask]);
    for (const [best] of results) hypotheses.push(best!);
  }
  const correct = hypotheses.filter((h, i) =>
    sameTokens(digits.decode(h.tokens), digits.decode(examples[i]!.target)),
  ).length;
  return { exactMatch: correct / examples.length, hypotheses };
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
