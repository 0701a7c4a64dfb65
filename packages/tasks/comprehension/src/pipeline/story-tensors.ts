import {
  type Batch,
  type BatchSpecials,
  makeBatch,
  padSequences,
  type SourceInputs,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import type { QuestionShape } from '../settings/data-settings.js';

/** One example as ids: the story's kept sentences, the question, and the answer. */
export interface StoryIds {
  /** Word ids of each kept sentence (the last `maxSentences` of the story). */
  readonly sentences: readonly (readonly number[])[];
  readonly question: readonly number[];
  /** Answer ids (a list answer has several); empty at inference. */
  readonly answer: readonly number[];
  /** Rank of each kept sentence among the supporting facts (1 = first), 0 if none. */
  readonly support: readonly number[];
}

/** Names of the inputs beside the passage: the question, its mask, the support ranks. */
export const QUESTION = 'question';
export const QUESTION_MASK = 'questionMask';
export const SUPPORT = 'support';

/**
 * `[B, N, W]` int32 word ids of the passages (N the most sentences, W the longest
 * sentence, right-padded with `pad`) and the `[B, N]` sentence mask.
 */
export function passageTensors(
  examples: readonly StoryIds[],
  pad: number,
): { source: tf.Tensor3D; mask: tf.Tensor2D } {
  const b = examples.length;
  const n = Math.max(...examples.map((e) => e.sentences.length));
  const w = Math.max(1, ...examples.flatMap((e) => e.sentences.map((s) => s.length)));
  const ids = new Int32Array(b * n * w).fill(pad);
  const mask = new Float32Array(b * n);
  examples.forEach((e, row) => {
    e.sentences.forEach((sentence, i) => {
      ids.set(sentence, (row * n + i) * w);
      mask[row * n + i] = 1;
    });
  });
  return { source: tf.tensor3d(ids, [b, n, w], 'int32'), mask: tf.tensor2d(mask, [b, n]) };
}

/** The question as the model's question encoder reads it (see {@link QuestionShape}). */
export function questionInputs(
  examples: readonly StoryIds[],
  pad: number,
  shape: QuestionShape,
): SourceInputs {
  const { ids, mask } = padSequences(
    examples.map((e) => e.question),
    pad,
  );
  return questionShaped(ids, mask, shape);
}

/**
 * A training batch: the passages as the source, the question (and the supporting-fact
 * ranks, `[B, N]` float32) as named inputs, answers framed as `<bos> y` / `y <eos>`.
 */
export function storyBatch(
  examples: readonly StoryIds[],
  specials: BatchSpecials,
  shape: QuestionShape,
): Batch {
  const framed = makeBatch(
    examples.map((e) => e.question),
    examples.map((e) => e.answer),
    specials,
  );
  const { source, mask } = passageTensors(examples, specials.pad);
  const n = mask.shape[1];
  const ranks = new Float32Array(examples.length * n);
  examples.forEach((e, row) => ranks.set(e.support, row * n));
  return {
    source,
    sourceMask: mask,
    targetIn: framed.targetIn,
    targetOut: framed.targetOut,
    targetMask: framed.targetMask,
    inputs: {
      ...questionShaped(framed.source as tf.Tensor2D, framed.sourceMask, shape),
      [SUPPORT]: tf.tensor2d(ranks, [examples.length, n]),
    },
  };
}

/** `[B, L]` ids and mask as `words`, or reshaped to one sentence `[B, 1, L]` / `[B, 1]`. */
function questionShaped(ids: tf.Tensor2D, mask: tf.Tensor2D, shape: QuestionShape): SourceInputs {
  if (shape === 'words') return { [QUESTION]: ids, [QUESTION_MASK]: mask };
  const [b, l] = ids.shape;
  const sentence = ids.reshape([b, 1, l]);
  ids.dispose();
  mask.dispose();
  return { [QUESTION]: sentence, [QUESTION_MASK]: tf.ones([b, 1]) };
}
