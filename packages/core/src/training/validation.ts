import * as tf from '@tensorflow/tfjs';
import { disposeBatch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type { BatchSource } from './batch-source.js';

/** Mean loss per token over a source, and how many tokens it covered. */
export interface LossSummary {
  /** Σ_batches loss_b · tokens_b / Σ tokens_b: the NLL per real target token. */
  readonly loss: number;
  readonly tokens: number;
}

/**
 * The model's mean NLL per real target token over every batch of `source` (its epoch 0),
 * without dropout or label smoothing: the validation loss. Disposes each batch. Returns
 * undefined when `signal` aborts between batches.
 */
export async function evaluateLoss(
  model: Seq2Seq,
  source: BatchSource,
  signal?: AbortSignal,
): Promise<LossSummary | undefined> {
  let sum = 0;
  let tokens = 0;
  for (const batch of source.epoch(0)) {
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      const both = tf.tidy(() => {
        const n = tf.sum(batch.targetMask);
        return tf.stack([tf.mul(model.loss(batch, { training: false }), n), n]);
      });
      values = both.dataSync();
      both.dispose();
    } finally {
      disposeBatch(batch);
    }
    sum += values[0]!;
    tokens += values[1]!;
    await yieldToEventLoop();
    if (signal?.aborted) return undefined;
  }
  return { loss: tokens > 0 ? sum / tokens : Number.NaN, tokens };
}

/** Lets pending events (a Ctrl-C handler aborting the signal) run between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
