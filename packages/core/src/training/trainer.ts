import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { warnIfBackendUnchosen } from '../backend/use-backend.js';
import type { ModelExtras } from '../checkpoint/model-format.js';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import { ConfigError, NonFiniteLossError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import type { Batch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import type { WorkerMemory } from '../parallel/protocol.js';
import type { ReplicaPool, ReplicaPoolOptions } from '../parallel/replica-pool.js';
import type { BatchSource } from './batch-source.js';
import { type CheckpointStore, initialProgress, type TrainingProgress } from './checkpoint.js';
import { clipByGlobalNorm } from './clip.js';
import { keepBestWeights, type LoopState, runFit } from './fit.js';
import type { FitOptions, FitResult } from './fit-options.js';
import { importOptimizerState, type OptimizerKind } from './optimizer-state.js';
import { type SampledFeed, scheduledSamplingLoss } from './scheduled-sampling.js';
import { checkedSchedule, rateOption, type Schedule, type ScheduleConfig } from './schedules.js';
import { trainerSettingsSchema } from './trainer-settings.js';

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** Default `adam`. */
  readonly optimizer?: OptimizerKind;
  /**
   * A constant, a {@link Schedule} of the step number, or a {@link ScheduleConfig} naming one
   * (for JSON configs). Default 0.001 (Adam) or 0.1 (SGD).
   */
  readonly learningRate?: number | Schedule | ScheduleConfig;
  /** Clip gradients to this global norm. Default 5; 0 turns clipping off. */
  readonly clipNorm?: number;
  /** Label smoothing ε. Default 0. */
  readonly labelSmoothing?: number;
  /** Seeds dropout and scheduled sampling. Default 0. */
  readonly seed?: number;
  /** Scheduled sampling (Bengio et al. 2015). Default off: pure teacher forcing. */
  readonly scheduledSampling?: ScheduledSamplingOptions;
  /**
   * What a step whose loss or gradient is NaN or infinite does: `stop` (default) throws a
   * {@link NonFiniteLossError} before touching the weights; `skip` leaves weights and
   * optimizer as they were and reports the step as skipped.
   */
  readonly nonFinite?: 'stop' | 'skip';
  /**
   * Threads that {@link Trainer.fit} spreads each batch over (data parallelism), the main
   * thread included. Default 1: everything in this thread. With N > 1, N − 1 worker threads
   * each build a replica of the model by name through the registry, so `plugins` must list
   * the modules that register its parts. Dropout then draws one seed per shard: a run with
   * dropout or scheduled sampling differs from the 1-thread run (equally valid, and as
   * reproducible); without them it equals it up to summation order.
   */
  readonly workers?: number;
  /**
   * Modules each worker thread imports to register the model's plugins (see
   * {@link ReplicaPoolOptions.plugins}). Like `workers`, not a settings value.
   */
  readonly plugins?: readonly string[];
  /**
   * Where {@link Trainer.saveCheckpoint}, {@link Trainer.restore} and `fit`'s `checkpoint`
   * write and read; required for checkpoints. In Node: `folderCheckpoints` from
   * `@s2s/core/node`. Not a settings value: {@link trainerOptionNames} leaves it out.
   */
  readonly checkpoints?: CheckpointStore;
}

/** Options of scheduled sampling. */
export interface ScheduledSamplingOptions {
  /** p, the chance of feeding the model's own token for y_{t−1}: a constant or a schedule. */
  readonly probability: number | Schedule | ScheduleConfig;
  /** Default `sample`. */
  readonly feed?: SampledFeed;
}

const settings = trainerSettingsSchema.shape;

/**
 * {@link TrainerOptions} as a zod schema, with its defaults: the JSON settings
 * ({@link trainerSettingsSchema}) plus schedules as functions and what a run does not save.
 */
export const trainerOptions = trainerSettingsSchema.extend({
  optimizer: settings.optimizer.unwrap().default('adam'),
  learningRate: rateOption(0, 100)
    .optional()
    .describe('A constant, a schedule or a schedule config; default 0.001 (Adam) or 0.1 (SGD)'),
  clipNorm: settings.clipNorm.unwrap().default(5),
  labelSmoothing: settings.labelSmoothing.unwrap().default(0),
  seed: settings.seed.unwrap().default(0),
  scheduledSampling: z
    .strictObject({
      probability: rateOption(0, 1).describe(
        "The chance of feeding the model's own previous token",
      ),
      feed: z.enum(['sample', 'argmax']).default('sample'),
    })
    .optional()
    .describe('Scheduled sampling (Bengio et al. 2015). Default off'),
  nonFinite: settings.nonFinite.unwrap().default('stop'),
  workers: z.int().positive().default(1).describe('Threads fit spreads each batch over'),
  plugins: z
    .array(z.string())
    .default([])
    .describe('Modules each worker thread imports to register the model plugins'),
  checkpoints: z
    .custom<CheckpointStore>((v) => typeof v === 'object' && v !== null, 'expected a store')
    .optional()
    .describe('Where checkpoints are written and read'),
});
const parallelEntry = '@s2s/core/parallel';
const defaultRate: Record<OptimizerKind, number> = { adam: 0.001, sgd: 0.1 };

/** What one training step reports. */
export interface StepReport {
  /** Mean loss per real target token (NLL, label-smoothed when asked). */
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Real (unpadded) target tokens in the batch. */
  readonly tokens: number;
  /** The learning rate this step used. */
  readonly learningRate: number;
  /** The scheduled-sampling probability this step used (0: teacher forcing). */
  readonly samplingProbability: number;
  /** Set when the loss or gradient was not finite and `nonFinite: 'skip'` skipped the update. */
  readonly skipped?: true;
}

/** The options a {@link Trainer} takes (`TrainerOptions`), for callers that check settings. */
export const trainerOptionNames: readonly string[] = Object.keys(trainerSettingsSchema.shape);

/**
 * Maximum-likelihood training of a {@link Seq2Seq}. {@link Trainer.step} takes one
 * optimizer step on a batch: masked NLL (teacher-forced through `decoder.forward`, or under
 * scheduled sampling through `decoder.step`), gradients for the model's parameters only,
 * clipping by global norm, Adam or SGD at the scheduled learning rate, one host read.
 * {@link Trainer.fit} runs epochs with validation, early stopping, callbacks and
 * checkpoints; {@link Trainer.restore} resumes a checkpoint exactly.
 */
export class Trainer {
  private readonly kind: OptimizerKind;
  private current: tf.Optimizer;
  private appliedRate: number;
  private readonly rng: Rng;
  private readonly learningRate: Schedule;
  private readonly sampling?: { readonly probability: Schedule; readonly feed: SampledFeed };
  private readonly clipNorm: number;
  private readonly labelSmoothing: number;
  private readonly nonFinite: 'stop' | 'skip';
  private readonly checkpoints: CheckpointStore | undefined;
  private readonly variables: tf.Variable[];
  private readonly workers: number;
  private readonly plugins: readonly string[];
  private pool?: Promise<ReplicaPool>;
  private readonly loop: LoopState = {
    progress: { ...initialProgress },
    schedule: { learningRate: 0, samplingProbability: 0 },
  };

  constructor(
    readonly model: Seq2Seq,
    options: TrainerOptions = {},
  ) {
    const o = parseOptions('Trainer', trainerOptions, options);
    this.checkpoints = o.checkpoints;
    this.nonFinite = o.nonFinite;
    warnIfBackendUnchosen();
    this.kind = o.optimizer;
    const rate = o.learningRate ?? defaultRate[this.kind];
    this.learningRate = checkedSchedule('Trainer', 'learningRate', rate, 0, 100);
    this.clipNorm = o.clipNorm;
    this.labelSmoothing = o.labelSmoothing;
    if (o.scheduledSampling !== undefined) {
      this.sampling = {
        probability: checkedSchedule(
          'Trainer',
          'scheduledSampling.probability',
          o.scheduledSampling.probability,
          0,
          1,
        ),
        feed: o.scheduledSampling.feed,
      };
    }
    this.workers = o.workers;
    this.plugins = o.plugins;
    this.rng = new Rng(o.seed);
    this.variables = [...model.parameters().values()];
    this.appliedRate = this.learningRate(1);
    this.current = this.createOptimizer(this.appliedRate);
  }

  /** The tfjs optimizer (replaced by {@link Trainer.restore}). */
  get optimizer(): tf.Optimizer {
    return this.current;
  }

  /** Where training stands: steps, epoch, batch, best validation result. */
  get progress(): TrainingProgress {
    return { ...this.loop.progress };
  }

  /** One optimisation step on `batch`, in this thread. Reads the loss, norm and token count back once. */
  step(batch: Batch): StepReport {
    const plan = this.plan();
    const options = { training: true, rng: this.rng, labelSmoothing: this.labelSmoothing };
    const loss =
      plan.samplingProbability > 0
        ? () =>
            scheduledSamplingLoss(this.model, batch, {
              ...options,
              probability: plan.samplingProbability,
              feed: this.sampling!.feed,
            })
        : () => this.model.loss(batch, options);
    const computed = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.variables);
      return { value, grads, tokens: tf.sum(batch.targetMask) as tf.Scalar };
    });
    return this.update(plan, computed);
  }

  /**
   * One optimisation step on `batch`, its rows spread over the trainer's `workers` threads
   * (the same as {@link Trainer.step} with one). What {@link Trainer.fit} calls.
   */
  async stepAsync(batch: Batch): Promise<StepReport> {
    if (this.workers === 1) return this.step(batch);
    const pool = await this.replicas();
    const plan = this.plan();
    // Seeds come from the trainer's RNG, whose state checkpoints save: resume stays exact.
    const seeds = Array.from({ length: pool.size }, () => this.rng.nextSeed());
    const sampling =
      plan.samplingProbability > 0
        ? { probability: plan.samplingProbability, feed: this.sampling!.feed }
        : undefined;
    const { value, grads, tokens } = await pool.gradients(
      batch,
      { labelSmoothing: this.labelSmoothing, ...(sampling ? { sampling } : {}) },
      seeds,
    );
    return this.update(plan, { value, grads, tokens: tf.scalar(tokens) });
  }

  /** The schedules' values for the next step, the learning rate applied. */
  private plan(): { t: number; learningRate: number; samplingProbability: number } {
    const t = this.loop.progress.step + 1;
    const learningRate = this.learningRate(t);
    const samplingProbability = this.sampling ? this.sampling.probability(t) : 0;
    this.setLearningRate(learningRate);
    return { t, learningRate, samplingProbability };
  }

  /** Clips and applies gradients (disposing everything it is given); reports the step. */
  private update(
    plan: { t: number; learningRate: number; samplingProbability: number },
    computed: { value: tf.Scalar; grads: tf.NamedTensorMap; tokens: tf.Scalar },
  ): StepReport {
    const { t, learningRate, samplingProbability } = plan;
    const { value, grads, tokens: tokenCount } = computed;
    // The loss and gradient norm are read before the update, so a non-finite step (one NaN
    // in a batch) never reaches the weights or the optimizer's moments.
    const { applied, summary } = tf.tidy(() => {
      const { grads: clipped, norm } =
        this.clipNorm > 0
          ? clipByGlobalNorm(grads, this.clipNorm)
          : {
              grads: mapGrads(grads),
              norm: tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))),
            };
      return { applied: clipped, summary: tf.stack([value, norm, tokenCount]) };
    });
    tf.dispose([value, tokenCount, ...Object.values(grads)]);
    const [lossValue, normValue, tokens] = summary.dataSync();
    summary.dispose();
    const finite = Number.isFinite(lossValue) && Number.isFinite(normValue);
    if (finite) {
      tf.tidy(() => {
        // A list in parameter order, so the optimizer's i-th slot always belongs to the i-th
        // parameter (tfjs matches slots by position), whatever the variables are named.
        this.current.applyGradients(
          this.variables.map((v) => ({ name: v.name, tensor: applied[v.name] as tf.Tensor })),
        );
      });
    }
    tf.dispose(Object.values(applied));
    if (!finite && this.nonFinite === 'stop') {
      throw new NonFiniteLossError(t, lossValue!, normValue!);
    }
    if (finite) {
      this.loop.progress.step = t;
      this.loop.schedule = { learningRate, samplingProbability };
    }
    return {
      loss: lossValue!,
      gradNorm: normValue!,
      tokens: tokens!,
      learningRate,
      samplingProbability,
      ...(finite ? {} : { skipped: true }),
    };
  }

  /**
   * The trainer's worker threads (started on first use), or undefined with one thread: a
   * caller may decode across them, after `syncWeights()` (steps send weights only with work).
   */
  async workerPool(): Promise<ReplicaPool | undefined> {
    return this.workers === 1 ? undefined : this.replicas();
  }

  /** The worker threads, started on first use. */
  private replicas(): Promise<ReplicaPool> {
    if (!this.pool) {
      // Node only (worker_threads): imported by name on first use, so that a browser bundle
      // of this entry never reaches it.
      const entry: string = parallelEntry;
      const loaded = import(/* @vite-ignore */ entry) as Promise<
        typeof import('../parallel/index.js')
      >;
      this.pool = loaded.then(({ ReplicaPool }) =>
        ReplicaPool.start(this.model, { workers: this.workers, plugins: this.plugins }),
      );
    }
    return this.pool;
  }

  /**
   * Trains epoch after epoch from where the trainer stands (a fresh start, or a restored
   * checkpoint) until `options.epochs` epochs are done, `maxSteps` is reached, early
   * stopping triggers or `signal` aborts. See {@link FitOptions}.
   */
  fit(source: BatchSource, options: FitOptions): Promise<FitResult> {
    return runFit(this, this.loop, source, options, () => this.checkpointStore());
  }

  /**
   * Writes a checkpoint of everything exact resumption needs (weights, optimizer slots, RNG,
   * progress, schedule position, best result and weights) into `dir`, atomically.
   */
  async saveCheckpoint(dir: string, extras?: ModelExtras): Promise<void> {
    await this.checkpointStore().write(dir, {
      model: this.model,
      kind: this.kind,
      optimizer: this.current,
      rngState: this.rng.state,
      progress: this.loop.progress,
      schedule: this.loop.schedule,
      ...(this.loop.bestWeights ? { bestWeights: this.loop.bestWeights } : {}),
      ...(extras ? { extras } : {}),
    });
  }

  /**
   * Loads a checkpoint written by {@link Trainer.saveCheckpoint} into this trainer and its
   * model, so `fit` continues exactly where it stopped. All or nothing: a damaged or
   * mismatched checkpoint is a {@link CheckpointError} naming the file and changes nothing.
   */
  async restore(dir: string): Promise<void> {
    const loaded = await this.checkpointStore().read(dir, this.model, this.kind);
    const previous = exportWeights(this.model);
    const fresh = this.createOptimizer(this.learningRate(loaded.progress.step + 1));
    try {
      if (loaded.bestWeights) importWeights(this.model, loaded.bestWeights, loaded.bestFile);
      importWeights(this.model, loaded.weights, loaded.weightsFile);
      const params = this.model.parameters();
      await importOptimizerState(
        this.kind,
        fresh,
        params,
        loaded.optimizerState,
        loaded.optimizerFile,
      );
    } catch (error) {
      importWeights(this.model, previous);
      fresh.dispose();
      tf.dispose([...(loaded.bestWeights?.values() ?? [])]);
      throw error;
    } finally {
      tf.dispose([
        ...previous.values(),
        ...loaded.weights.values(),
        ...loaded.optimizerState.values(),
      ]);
    }
    this.current.dispose();
    this.current = fresh;
    this.appliedRate = this.learningRate(loaded.progress.step + 1);
    this.rng.state = loaded.rngState;
    keepBestWeights(this.loop, loaded.bestWeights);
    this.loop.progress = { ...loaded.progress };
  }

  /** Frees the optimizer's state and any best weights kept (the model stays). Ends the worker threads. */
  dispose(): void {
    this.current.dispose();
    keepBestWeights(this.loop, undefined);
    void this.close();
  }

  /** Each worker thread's memory and live tensors; empty until the threads have started. */
  async workerMemory(): Promise<WorkerMemory[]> {
    return this.pool ? (await this.pool).memory() : [];
  }

  /** Ends the worker threads, if any were started (a later step starts them again). */
  async close(): Promise<void> {
    const pool = this.pool;
    delete this.pool;
    await pool?.then(
      (p) => p.close(),
      () => {},
    );
  }

  private checkpointStore(): CheckpointStore {
    if (this.checkpoints) return this.checkpoints;
    throw new ConfigError(
      "Trainer: checkpoints need a store, found none: pass new Trainer(model, { checkpoints }), e.g. folderCheckpoints from '@s2s/core/node'",
    );
  }

  private createOptimizer(rate: number): tf.Optimizer {
    return this.kind === 'adam' ? tf.train.adam(rate) : tf.train.sgd(rate);
  }

  /**
   * Applies a scheduled learning rate. tfjs reads Adam's `learningRate` field on every
   * update; SGD keeps a tensor of −rate that only `setLearningRate` rebuilds. (`instanceof`
   * cannot tell them apart: tfjs optimizers share a duck-typed `Symbol.hasInstance`.)
   */
  private setLearningRate(rate: number): void {
    if (rate === this.appliedRate) return;
    if (this.kind === 'sgd') (this.current as tf.SGDOptimizer).setLearningRate(rate);
    else (this.current as unknown as { learningRate: number }).learningRate = rate;
    this.appliedRate = rate;
  }
}

/** Clones a gradient map, so the caller may dispose the original. */
function mapGrads(grads: tf.NamedTensorMap): tf.NamedTensorMap {
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clone(g)]));
}
