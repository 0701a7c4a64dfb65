import * as tf from '@tensorflow/tfjs';
import type { Memory } from '../contracts/memory.js';
import type { StepModel } from '../contracts/search.js';

/** Options of {@link toyStepModel}. */
export interface ToyModelOptions {
  readonly vocabSize: number;
  /** Size of the encoder states the model attends to. Default 4. */
  readonly memorySize?: number;
  /** Default 8. */
  readonly hidden?: number;
  readonly seed: number;
  /** Default 1. */
  readonly bos?: number;
  /** Default 2. */
  readonly eos?: number;
  /** Scales the logits: larger makes distributions peakier. Default 2. */
  readonly sharpness?: number;
}

/**
 * A small random recurrent model with attention, written directly against the
 * {@link StepModel} contract: the test bed for search strategies. Weights are constants
 * drawn from `seed`; `dispose()` frees them.
 */
export function toyStepModel(options: ToyModelOptions): StepModel & { dispose(): void } {
  const v = options.vocabSize;
  const h = options.hidden ?? 8;
  const m = options.memorySize ?? 4;
  const sharp = options.sharpness ?? 2;
  const s = options.seed;
  const w = tf.tidy(() => ({
    embed: tf.randomNormal([v, h], 0, 1, 'float32', s + 1),
    recur: tf.randomNormal([h, h], 0, 0.5, 'float32', s + 2),
    fromMemory: tf.randomNormal([m, h], 0, 0.5, 'float32', s + 3),
    query: tf.randomNormal([h, m], 0, 0.5, 'float32', s + 4),
    out: tf.randomNormal([h, v], 0, sharp / Math.sqrt(h), 'float32', s + 5),
    bias: tf.randomNormal([v], 0, 0.5, 'float32', s + 6),
  }));
  for (const t of Object.values(w)) tf.keep(t);
  type Cache = { states: tf.Tensor3D; mask: tf.Tensor2D; context: tf.Tensor2D };
  return {
    vocabSize: v,
    bos: options.bos ?? 1,
    eos: options.eos ?? 2,
    prepare: (memory: Memory) =>
      tf.tidy(() => ({
        states: memory.states.clone(),
        mask: memory.mask.clone(),
        context: tf.matMul(memory.final[0]!, w.fromMemory),
      })),
    initialState: (cache) => ({ h: tf.tanh((cache as Cache).context) }),
    step: (prev, state, cache) =>
      tf.tidy(() => {
        const c = cache as Cache;
        const hPrev = (state as { h: tf.Tensor2D }).h;
        const hNext = tf.tanh(
          tf.addN([tf.gather(w.embed, prev), tf.matMul(hPrev, w.recur), c.context]),
        ) as tf.Tensor2D;
        const scores = tf.matMul(c.states, tf.matMul(hNext, w.query).expandDims(2)).squeeze([2]);
        const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, c.mask), -1e9))) as tf.Tensor2D;
        const logProbs = tf.logSoftmax(tf.add(tf.matMul(hNext, w.out), w.bias)) as tf.Tensor2D;
        return { logProbs, state: { h: hNext }, weights };
      }),
    dispose: () => tf.dispose(Object.values(w)),
  };
}

/**
 * log P(y_t | y_<t, x) of given token sequences for source `row` of `memory`, recomputed
 * by teacher forcing one sequence at a time: the independent reference that search results
 * are checked against.
 */
export function teacherForcedLogProbs(
  model: StepModel,
  memory: Memory,
  row: number,
  sequences: readonly (readonly number[])[],
): number[][] {
  return sequences.map((tokens) =>
    tf.tidy(() => {
      const rowMemory: Memory = {
        states: memory.states.slice(row, 1),
        mask: memory.mask.slice(row, 1),
        final: memory.final.map((f) => f.slice(row, 1)),
      };
      const cache = model.prepare(rowMemory);
      let state = model.initialState(cache);
      let prev = model.bos;
      const out: number[] = [];
      for (const token of tokens) {
        const r = model.step(tf.tensor1d([prev], 'int32'), state, cache);
        out.push(r.logProbs.dataSync()[token]!);
        state = r.state;
        prev = token;
      }
      return out;
    }),
  );
}
