import { z } from 'zod';
import type { ModelExtras } from '../checkpoint/model-format.js';
import { parseOptions } from '../errors/options.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type { BatchSource } from './batch-source.js';
import type { BestResult, TrainingProgress } from './checkpoint.js';
import type { StepReport } from './trainer.js';

/** Options of {@link Trainer.fit}. */
export interface FitOptions {
  /** Train until this many epochs are done, counting those before a resume. */
  readonly epochs: number;
  /** Stop (resumably) once this many optimizer steps are done in total. */
  readonly maxSteps?: number;
  /** Validation batches; their mean loss per token is measured after every epoch. */
  readonly validation?: BatchSource;
  /** A user metric measured after every epoch (BLEU, exact match, …). */
  readonly metric?: ValidationMetric;
  /** What "best" and early stopping look at. Default `loss` (lower is better). */
  readonly monitor?: 'loss' | 'metric';
  /** Stop when the monitored value has not improved for `patience` epochs. Default off. */
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Write checkpoints into a folder. Default off. */
  readonly checkpoint?: CheckpointOptions;
  /** Aborting finishes the current step, writes a checkpoint and returns `aborted`. */
  readonly signal?: AbortSignal;
  /** After every step. May return a promise, which is awaited. */
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  /** After every epoch's validation. May return a promise, which is awaited. */
  readonly onEpoch?: (event: EpochEvent) => void | Promise<void>;
  /** After every checkpoint written. */
  readonly onCheckpoint?: (event: CheckpointEvent) => void | Promise<void>;
}

/** A validation metric computed by the caller, e.g. by decoding and scoring. */
export interface ValidationMetric {
  readonly name: string;
  /** Default `max`: higher is better. */
  readonly goal?: 'max' | 'min';
  evaluate(model: Seq2Seq, context: { readonly epoch: number }): number | Promise<number>;
}

/** Options of early stopping. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Put the best epoch's weights back into the model at the end. Default true. */
  readonly restoreBest?: boolean;
}

/** Options of checkpointing during {@link Trainer.fit}. */
export interface CheckpointOptions {
  /** The checkpoint folder, replaced atomically on each write. */
  readonly dir: string;
  /** Also write one every this many steps. Default: only at the end (and on abort). */
  readonly everySteps?: number;
  /** Vocabularies and metadata to save with the model. */
  readonly extras?: ModelExtras;
  /**
   * Runs before each checkpoint is written, e.g. to flush a log so that what is on disk
   * always reaches at least as far as the checkpoint, whenever the process is killed.
   */
  readonly before?: () => void | Promise<void>;
}

/** What `onStep` receives. */
export interface StepEvent extends StepReport {
  /** Optimizer steps done, this one included. */
  readonly step: number;
  /** 0-based epoch. */
  readonly epoch: number;
  /** Batches of this epoch done, this one included. */
  readonly batch: number;
  /** Batches per epoch, when the source knows. */
  readonly batches?: number;
  /** Target tokens per second of step time, averaged over this `fit` call. */
  readonly tokensPerSecond: number;
}

/** What `onEpoch` receives. */
export interface EpochEvent {
  readonly epoch: number;
  readonly step: number;
  /** Mean training loss per token over the epoch. */
  readonly trainLoss?: number;
  readonly validation?: {
    readonly loss?: number;
    readonly tokens?: number;
    readonly metric?: number;
  };
  /** Whether the monitored value improved on the best so far. */
  readonly improved: boolean;
  readonly best: BestResult | null;
  /** Epochs in a row without improvement. */
  readonly badEpochs: number;
}

/** What `onCheckpoint` receives. */
export interface CheckpointEvent {
  readonly dir: string;
  readonly step: number;
  readonly reason: 'interval' | 'end' | 'abort';
}

/** Why `fit` returned. */
export type StopReason = 'completed' | 'max-steps' | 'early-stopping' | 'aborted';

/** What `fit` returns. */
export interface FitResult {
  readonly stopReason: StopReason;
  readonly progress: TrainingProgress;
  readonly best: BestResult | null;
  /** The epochs this call finished. */
  readonly epochs: readonly EpochEvent[];
}

const callback = <F>(what: string) =>
  z
    .custom<F>((v) => typeof v === 'function', `expected a function`)
    .optional()
    .describe(what);

/** {@link FitOptions} as a zod schema, with its defaults and cross-field rules. */
export const fitOptions = z
  .strictObject({
    epochs: z.int().positive().describe('Train until this many epochs are done'),
    maxSteps: z.int().positive().optional().describe('Stop once this many steps are done'),
    validation: z
      .custom<BatchSource>((v) => typeof v === 'object' && v !== null, 'expected a batch source')
      .optional()
      .describe('Validation batches'),
    metric: z
      .strictObject({
        name: z.string().min(1),
        goal: z.enum(['max', 'min']).default('max').describe('Default max: higher is better'),
        evaluate: z.custom<ValidationMetric['evaluate']>(
          (v) => typeof v === 'function',
          'expected a function (model, { epoch }) => number',
        ),
      })
      .optional()
      .describe('A user metric measured after every epoch'),
    monitor: z.enum(['loss', 'metric']).default('loss').describe('What "best" looks at'),
    earlyStopping: z
      .strictObject({
        patience: z.int().positive().describe('Epochs without improvement before stopping'),
        minDelta: z.number().nonnegative().default(0).describe('Smallest improvement'),
        restoreBest: z.boolean().default(true).describe("Put the best epoch's weights back"),
      })
      .optional(),
    checkpoint: z
      .strictObject({
        dir: z.string().min(1).describe('The checkpoint folder'),
        everySteps: z.int().positive().optional().describe('Also write one every this many steps'),
        extras: z
          .custom<ModelExtras>((v) => typeof v === 'object' && v !== null, 'expected an object')
          .optional(),
        before: callback<CheckpointOptions['before']>('Runs before each checkpoint is written'),
      })
      .optional(),
    signal: z
      .custom<AbortSignal>((v) => typeof v === 'object' && v !== null, 'expected an AbortSignal')
      .optional(),
    onStep: callback<FitOptions['onStep']>('After every step'),
    onEpoch: callback<FitOptions['onEpoch']>("After every epoch's validation"),
    onCheckpoint: callback<FitOptions['onCheckpoint']>('After every checkpoint written'),
  })
  .superRefine((o, ctx) => {
    if (o.monitor === 'metric' && !o.metric) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: "monitor is 'metric' but no 'metric' is given",
      });
    }
    if (o.earlyStopping && o.monitor === 'loss' && !o.validation) {
      ctx.addIssue({
        code: 'custom',
        path: ['validation'],
        message: "early stopping on 'loss' needs a 'validation' source",
      });
    }
  });

/** {@link FitOptions} as {@link checkFitOptions} returns them: defaults filled in. */
export type CheckedFitOptions = Omit<z.output<typeof fitOptions>, 'metric'> & {
  /** The caller's own metric object, so that its `evaluate` keeps its `this`. */
  readonly metric?: ValidationMetric;
  /** Which direction of the monitored value is better. */
  readonly goal: 'min' | 'max';
};

/**
 * Validates {@link FitOptions} against {@link fitOptions}, naming the bad option; returns
 * them with their defaults, and which direction of the monitored value is better.
 */
export function checkFitOptions(o: FitOptions): CheckedFitOptions {
  const { metric, ...parsed } = parseOptions('fit', fitOptions, o);
  const goal = parsed.monitor === 'loss' ? 'min' : (metric?.goal ?? 'max');
  return { ...parsed, ...(o.metric ? { metric: o.metric } : {}), goal };
}
