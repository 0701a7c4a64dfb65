/**
 * The training loop the CLI runs, behind one small class whose methods mirror the
 * `Trainer.fit` / `saveCheckpoint` / `restore` API being added to `@s2s/core`, so that
 * switching to it replaces the bodies here and nothing else. Built on today's
 * `Trainer.step`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BatchSource,
  CheckpointError,
  disposeBatch,
  exportWeights,
  importWeights,
  loadModel,
  type ModelExtras,
  type Rng,
  readWeights,
  type Seq2Seq,
  saveModel,
  type Trainer,
  writeFolderAtomically,
  writeWeights,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** Where training stands; everything needed to continue exactly. */
export interface TrainingProgress {
  /** Optimizer steps done. */
  step: number;
  /** The current epoch, 0-based; every earlier epoch is trained and validated. */
  epoch: number;
  /** Batches of the current epoch already trained on. */
  batch: number;
  epochLoss: number;
  epochTokens: number;
  best: { epoch: number; step: number; value: number } | null;
  /** Validations in a row without improvement. */
  badEpochs: number;
}

/** A user metric measured after every epoch (higher is better). */
export interface ValidationMetric {
  readonly name: string;
  evaluate(model: Seq2Seq, context: { readonly epoch: number }): Promise<number>;
}

/** What the loop reports after each step. */
export interface StepEvent {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly batches?: number;
  readonly loss: number;
  readonly tokens: number;
  readonly learningRate: number;
  readonly tokensPerSecond: number;
}

/** What the loop reports after each epoch's validation. */
export interface EpochEvent {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss?: number;
  readonly validation?: { readonly loss?: number; readonly metric?: number };
  readonly improved: boolean;
}

/** Options of {@link TrainingRun.fit}. */
export interface FitOptions {
  readonly epochs: number;
  readonly validation?: BatchSource;
  readonly metric?: ValidationMetric;
  /** Stop after this many epochs without improvement of the metric (else the loss). */
  readonly earlyStopping?: { readonly patience: number };
  readonly checkpoint?: {
    readonly dir: string;
    readonly everySteps?: number;
    readonly extras?: ModelExtras;
  };
  readonly signal?: AbortSignal;
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  readonly onEpoch?: (event: EpochEvent) => void | Promise<void>;
}

/** Why {@link TrainingRun.fit} returned, and where training stands. */
export interface FitResult {
  readonly stopReason: 'completed' | 'early-stopping' | 'aborted';
  readonly progress: Readonly<TrainingProgress>;
}

const FORMAT = 's2s-cli-training-checkpoint';

/** A trainer with its loop state: fits, checkpoints and restores exactly. */
export class TrainingRun {
  progress: TrainingProgress = {
    step: 0,
    epoch: 0,
    batch: 0,
    epochLoss: 0,
    epochTokens: 0,
    best: null,
    badEpochs: 0,
  };

  constructor(
    readonly trainer: Trainer,
    private readonly learningRate: number,
  ) {}

  /** Trains until `epochs` epochs are done, early stopping triggers or `signal` aborts. */
  async fit(source: BatchSource, o: FitOptions): Promise<FitResult> {
    const p = this.progress;
    const clock = { tokens: 0, seconds: 0 };
    let reason: FitResult['stopReason'] | undefined = o.signal?.aborted ? 'aborted' : undefined;
    while (!reason && p.epoch < o.epochs) {
      let index = 0;
      for (const batch of source.epoch(p.epoch)) {
        let loss: number;
        let tokens: number;
        try {
          if (index++ < p.batch) continue; // trained before the checkpoint resumed from
          const start = performance.now();
          tokens = tf.tidy(() => tf.sum(batch.targetMask)).dataSync()[0]!;
          ({ loss } = this.trainer.step(batch));
          clock.seconds += (performance.now() - start) / 1000;
        } finally {
          disposeBatch(batch);
        }
        p.step++;
        p.batch++;
        p.epochLoss += loss * tokens;
        p.epochTokens += tokens;
        clock.tokens += tokens;
        await o.onStep?.({
          step: p.step,
          epoch: p.epoch,
          batch: p.batch,
          ...(source.length !== undefined ? { batches: source.length } : {}),
          loss,
          tokens,
          learningRate: this.learningRate,
          tokensPerSecond: clock.tokens / Math.max(clock.seconds, 1e-9),
        });
        const every = o.checkpoint?.everySteps;
        if (o.checkpoint && every && p.step % every === 0)
          await this.saveCheckpoint(o.checkpoint.dir, o.checkpoint.extras);
        await new Promise((r) => setImmediate(r)); // let a signal handler run
        if (o.signal?.aborted) break;
      }
      if (o.signal?.aborted) reason = 'aborted';
      else reason = await this.endEpoch(o);
    }
    reason ??= 'completed';
    if (o.checkpoint) await this.saveCheckpoint(o.checkpoint.dir, o.checkpoint.extras);
    return { stopReason: reason, progress: { ...p } };
  }

  private async endEpoch(o: FitOptions): Promise<FitResult['stopReason'] | undefined> {
    const p = this.progress;
    const loss = o.validation ? validationLoss(this.trainer.model, o.validation) : undefined;
    const metric = o.metric
      ? await o.metric.evaluate(this.trainer.model, { epoch: p.epoch })
      : undefined;
    const value = metric ?? (loss === undefined ? undefined : -loss);
    const improved =
      value !== undefined && Number.isFinite(value) && (p.best === null || value > p.best.value);
    if (improved) Object.assign(p, { best: { epoch: p.epoch, step: p.step, value }, badEpochs: 0 });
    else if (value !== undefined) p.badEpochs++;
    const event: EpochEvent = {
      epoch: p.epoch,
      step: p.step,
      ...(p.epochTokens > 0 ? { trainLoss: p.epochLoss / p.epochTokens } : {}),
      ...(value !== undefined
        ? {
            validation: {
              ...(loss !== undefined ? { loss } : {}),
              ...(metric !== undefined ? { metric } : {}),
            },
          }
        : {}),
      improved,
    };
    Object.assign(p, { epoch: p.epoch + 1, batch: 0, epochLoss: 0, epochTokens: 0 });
    await o.onEpoch?.(event);
    if (o.earlyStopping && p.badEpochs >= o.earlyStopping.patience) return 'early-stopping';
    return undefined;
  }

  /**
   * Writes `dir` atomically: `model/` (a model `loadModel` reads on its own), `optimizer/`
   * (the optimizer's slots in order) and `trainer.json` (progress and the dropout RNG).
   */
  async saveCheckpoint(dir: string, extras?: ModelExtras): Promise<void> {
    const slots = await this.trainer.optimizer.getWeights();
    const named = new Map(
      slots.map((s, i) => [`${String(i).padStart(6, '0')}:${s.name}`, s.tensor]),
    );
    try {
      await writeFolderAtomically(dir, async (tmp) => {
        await saveModel(join(tmp, 'model'), this.trainer.model, extras);
        await mkdir(join(tmp, 'optimizer'));
        const sha256 = await writeWeights(join(tmp, 'optimizer'), named);
        const state = {
          format: FORMAT,
          progress: this.progress,
          rng: dropoutRng(this.trainer).state,
          optimizer: { sha256 },
        };
        await writeFile(join(tmp, 'trainer.json'), `${JSON.stringify(state, null, 2)}\n`);
      });
    } finally {
      slots[0]?.tensor.dispose(); // the iteration count is a fresh scalar; the slots are the optimizer's own
    }
  }

  /** Loads a checkpoint written by {@link saveCheckpoint}; a damaged one is a CheckpointError naming the file. */
  async restore(dir: string): Promise<void> {
    const file = join(dir, 'trainer.json');
    let state: {
      format?: string;
      progress?: TrainingProgress;
      rng?: number;
      optimizer?: { sha256?: string };
    };
    try {
      state = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CheckpointError(
        file,
        code === 'ENOENT' ? 'file is missing' : `is not valid JSON (${(error as Error).message})`,
      );
    }
    if (
      state.format !== FORMAT ||
      !state.progress ||
      typeof state.rng !== 'number' ||
      !state.optimizer?.sha256
    ) {
      throw new CheckpointError(
        file,
        `is not an s2s training checkpoint (expected format '${FORMAT}')`,
      );
    }
    const loaded = await loadModel(join(dir, 'model'));
    const weights = exportWeights(loaded.model);
    loaded.model.dispose();
    try {
      importWeights(this.trainer.model, weights, join(dir, 'model'));
    } finally {
      tf.dispose([...weights.values()]);
    }
    const slots = await readWeights(join(dir, 'optimizer'), state.optimizer.sha256);
    const ordered = [...slots]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, tensor]) => ({ name: name.slice(7), tensor }));
    await this.trainer.optimizer.setWeights(ordered);
    tf.dispose(ordered.map((s) => s.tensor));
    dropoutRng(this.trainer).state = state.rng;
    this.progress = { ...state.progress };
  }
}

/** The trainer's private dropout RNG; core's upcoming checkpoints save it themselves. */
function dropoutRng(trainer: Trainer): Rng {
  return (trainer as unknown as { rng: Rng }).rng;
}

/** Mean validation loss per target token. */
function validationLoss(model: Seq2Seq, source: BatchSource): number {
  let sum = 0;
  let tokens = 0;
  for (const batch of source.epoch(0)) {
    try {
      const [loss, count] = tf
        .tidy(() => [model.loss(batch, { training: false }), tf.sum(batch.targetMask)])
        .map((t) => {
          const v = t.dataSync()[0]!;
          t.dispose();
          return v;
        }) as [number, number];
      sum += loss * count;
      tokens += count;
    } finally {
      disposeBatch(batch);
    }
  }
  return tokens > 0 ? sum / tokens : Number.NaN;
}
