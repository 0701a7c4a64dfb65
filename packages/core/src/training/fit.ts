import type * as tf from '@tensorflow/tfjs';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import { disposeBatch } from '../model/batch.js';
import type { BatchSource } from './batch-source.js';
import type { TrainingProgress } from './checkpoint.js';
import {
  type CheckedFitOptions,
  type CheckpointEvent,
  checkFitOptions,
  type EpochEvent,
  type FitOptions,
  type FitResult,
  type StopReason,
} from './fit-options.js';
import type { StepReport, Trainer } from './trainer.js';
import { evaluateLoss, yieldToEventLoop } from './validation.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A trainer's loop state, owned by the trainer and advanced by `fit`. */
export interface LoopState {
  progress: Mutable<TrainingProgress>;
  schedule: { learningRate: number; samplingProbability: number };
  bestWeights?: Map<string, tf.Tensor>;
}

/** Replaces (disposing) the best weights a loop keeps. */
export function keepBestWeights(
  loop: LoopState,
  weights: Map<string, tf.Tensor> | undefined,
): void {
  if (loop.bestWeights) for (const t of loop.bestWeights.values()) t.dispose();
  if (weights) loop.bestWeights = weights;
  else delete loop.bestWeights;
}

/** The loop behind {@link Trainer.fit}. */
export async function runFit(
  trainer: Trainer,
  loop: LoopState,
  source: BatchSource,
  options: FitOptions,
  checkpointStore: () => unknown,
): Promise<FitResult> {
  const run = new FitRun(trainer, loop, source, options);
  if (options.checkpoint) checkpointStore(); // no store is an error before training, not after
  return run.run();
}

class FitRun {
  private readonly history: EpochEvent[] = [];
  private readonly clock = { tokens: 0, seconds: 0 };
  private readonly o: CheckedFitOptions;
  private readonly goal: 'min' | 'max';
  private readonly monitor: 'loss' | 'metric';
  /** Whether early stopping keeps the best weights to put back at the end. */
  private readonly keepsBest: boolean;

  constructor(
    private readonly trainer: Trainer,
    private readonly loop: LoopState,
    private readonly source: BatchSource,
    options: FitOptions,
  ) {
    this.o = checkFitOptions(options);
    ({ monitor: this.monitor, goal: this.goal } = this.o);
    this.keepsBest = this.o.earlyStopping?.restoreBest ?? false;
  }

  async run(): Promise<FitResult> {
    const p = this.loop.progress;
    const patience = this.o.earlyStopping?.patience ?? Infinity;
    let reason: StopReason | undefined;
    if (this.o.signal?.aborted) reason = 'aborted';
    else if (p.badEpochs >= patience) reason = 'early-stopping';
    while (!reason && p.epoch < this.o.epochs) {
      reason = (await this.trainEpoch()) ?? (await this.endEpoch());
    }
    reason ??= 'completed';
    await this.checkpoint(reason === 'aborted' ? 'abort' : 'end');
    // An aborted or step-limited run is paused, not finished: it keeps its latest weights.
    const finished = reason === 'completed' || reason === 'early-stopping';
    if (finished && this.keepsBest && this.loop.bestWeights) {
      importWeights(this.trainer.model, this.loop.bestWeights);
    }
    return { stopReason: reason, progress: { ...p }, best: p.best, epochs: this.history };
  }

  /** Trains the rest of the current epoch; returns why it stopped early, if it did. */
  private async trainEpoch(): Promise<StopReason | undefined> {
    const p = this.loop.progress;
    const epoch = p.epoch;
    const every = this.o.checkpoint?.everySteps;
    let index = 0;
    for (const batch of this.source.epoch(epoch)) {
      let report: StepReport;
      try {
        if (index++ < p.batch) continue; // trained before the checkpoint we resumed from
        if (this.o.maxSteps !== undefined && p.step >= this.o.maxSteps) return 'max-steps';
        const start = performance.now();
        report = await this.trainer.stepAsync(batch);
        this.clock.seconds += (performance.now() - start) / 1000;
      } finally {
        disposeBatch(batch);
      }
      p.batch++;
      if (!report.skipped) {
        p.epochLoss += report.loss * report.tokens;
        p.epochTokens += report.tokens;
        this.clock.tokens += report.tokens;
      }
      await this.o.onStep?.({
        ...report,
        step: p.step,
        epoch,
        batch: p.batch,
        ...(this.source.length !== undefined ? { batches: this.source.length } : {}),
        tokensPerSecond: this.clock.tokens / Math.max(this.clock.seconds, 1e-9),
      });
      if (every !== undefined && !report.skipped && p.step % every === 0) {
        await this.checkpoint('interval');
      }
      await yieldToEventLoop();
      if (this.o.signal?.aborted) return 'aborted';
    }
    return undefined;
  }

  /** Validates, updates the best result, moves to the next epoch. */
  private async endEpoch(): Promise<StopReason | undefined> {
    const p = this.loop.progress;
    const model = this.trainer.model;
    let loss: { loss: number; tokens: number } | undefined;
    if (this.o.validation) {
      loss = await evaluateLoss(model, this.o.validation, this.o.signal);
      if (!loss) return 'aborted'; // the epoch stays unvalidated; a resume validates it
    }
    const metric = this.o.metric
      ? await this.o.metric.evaluate(model, { epoch: p.epoch })
      : undefined;
    const value = this.monitor === 'loss' ? loss?.loss : metric;
    let improved = false;
    if (value !== undefined) {
      const delta = this.o.earlyStopping?.minDelta ?? 0; // without early stopping any gain counts
      const best = p.best?.value;
      // A NaN (diverged) result is never the best, so it cannot freeze early stopping.
      improved =
        Number.isFinite(value) &&
        (best === undefined || (this.goal === 'min' ? value < best - delta : value > best + delta));
      if (improved) {
        p.best = {
          epoch: p.epoch,
          step: p.step,
          value,
          ...(loss ? { loss: loss.loss } : {}),
          ...(metric !== undefined ? { metric } : {}),
        };
        p.badEpochs = 0;
        if (this.keepsBest) {
          keepBestWeights(this.loop, exportWeights(model));
        }
      } else {
        p.badEpochs++;
      }
    }
    const event: EpochEvent = {
      epoch: p.epoch,
      step: p.step,
      ...(p.epochTokens > 0 ? { trainLoss: p.epochLoss / p.epochTokens } : {}),
      ...(loss || metric !== undefined
        ? { validation: { ...(loss ?? {}), ...(metric !== undefined ? { metric } : {}) } }
        : {}),
      improved,
      best: p.best,
      badEpochs: p.badEpochs,
    };
    Object.assign(p, { epoch: p.epoch + 1, batch: 0, epochLoss: 0, epochTokens: 0 });
    this.history.push(event);
    await this.o.onEpoch?.(event);
    if (this.o.earlyStopping && p.badEpochs >= this.o.earlyStopping.patience) {
      return 'early-stopping';
    }
    return this.o.signal?.aborted ? 'aborted' : undefined;
  }

  private async checkpoint(reason: CheckpointEvent['reason']): Promise<void> {
    const c = this.o.checkpoint;
    if (!c) return;
    await c.before?.();
    await this.trainer.saveCheckpoint(c.dir, c.extras);
    await this.o.onCheckpoint?.({ dir: c.dir, step: this.loop.progress.step, reason });
  }
}
