import type * as tf from '@tensorflow/tfjs';
import type { ModelExtras } from '../checkpoint/model-format.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type { OptimizerKind } from './optimizer-state.js';

/** The best validation result so far. */
export interface BestResult {
  /** 0-based epoch it was measured after. */
  readonly epoch: number;
  /** Optimizer steps done when it was measured. */
  readonly step: number;
  /** The monitored value (validation loss or metric). */
  readonly value: number;
  /** Validation loss per token, when there is a validation source. */
  readonly loss?: number;
  /** The user metric, when there is one. */
  readonly metric?: number;
}

/** Where training stands; everything {@link Trainer.fit} needs to continue exactly. */
export interface TrainingProgress {
  /** Optimizer steps done. */
  readonly step: number;
  /** The current epoch, 0-based; every earlier epoch is trained and validated. */
  readonly epoch: number;
  /** Batches of the current epoch already trained on. */
  readonly batch: number;
  /** Σ loss · tokens over those batches, for the epoch's mean training loss. */
  readonly epochLoss: number;
  /** Σ tokens over those batches. */
  readonly epochTokens: number;
  readonly best: BestResult | null;
  /** Validations in a row without improvement, for early stopping. */
  readonly badEpochs: number;
}

/** The start of training. */
export const initialProgress: TrainingProgress = {
  step: 0,
  epoch: 0,
  batch: 0,
  epochLoss: 0,
  epochTokens: 0,
  best: null,
  badEpochs: 0,
};

/** Everything a checkpoint holds. */
export interface CheckpointContents {
  readonly model: Seq2Seq;
  readonly kind: OptimizerKind;
  readonly optimizer: tf.Optimizer;
  readonly rngState: number;
  readonly progress: TrainingProgress;
  /** The learning rate and sampling probability of the last step, for the record. */
  readonly schedule: { readonly learningRate: number; readonly samplingProbability: number };
  readonly bestWeights?: ReadonlyMap<string, tf.Tensor>;
  /** Vocabularies and metadata saved with the model, so `model/` loads on its own. */
  readonly extras?: ModelExtras;
}

/** A checkpoint read back, validated; the caller owns every tensor. */
export interface LoadedCheckpoint {
  readonly weights: Map<string, tf.Tensor>;
  readonly weightsFile: string;
  readonly optimizerState: Map<string, tf.Tensor>;
  readonly optimizerFile: string;
  readonly bestWeights?: Map<string, tf.Tensor>;
  readonly bestFile?: string;
  readonly rngState: number;
  readonly progress: TrainingProgress;
}

/**
 * Where a {@link Trainer} writes and reads its checkpoints, each named by a string. The
 * main entry knows no file system: in Node pass `folderCheckpoints` from `@s2s/core/node`
 * (folders replaced atomically, every file checksummed); elsewhere, any storage that keeps
 * the contents and gives them back.
 */
export interface CheckpointStore {
  /** Writes a checkpoint under `where`, replacing the one there only once complete. */
  write(where: string, contents: CheckpointContents): Promise<void>;
  /**
   * Reads the checkpoint under `where` for `model` and an optimizer of `kind`; a damaged
   * or mismatched checkpoint is a `CheckpointError`. The caller owns the tensors.
   */
  read(where: string, model: Seq2Seq, kind: OptimizerKind): Promise<LoadedCheckpoint>;
}
