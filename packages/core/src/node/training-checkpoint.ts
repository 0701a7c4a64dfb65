import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MODEL_FILE } from '../checkpoint/model-format.js';
import { CheckpointError } from '../errors/errors.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type {
  BestResult,
  CheckpointContents,
  CheckpointStore,
  LoadedCheckpoint,
  TrainingProgress,
} from '../training/checkpoint.js';
import { exportOptimizerState, type OptimizerKind } from '../training/optimizer-state.js';
import { recoverFolder, writeFolderAtomically } from './atomic-folder.js';
import { saveModel } from './model-folder.js';
import { SealedFolder, sealFolder } from './sealed-folder.js';
import { readWeights, writeWeights } from './weight-files.js';

/** The file that describes a training checkpoint. */
export const TRAINER_FILE = 'trainer.json';
const FORMAT = 's2s-training-checkpoint';
const VERSION = 1;

/**
 * Trainer checkpoints as folders: pass it as `new Trainer(model, { checkpoints:
 * folderCheckpoints })` so `fit({ checkpoint: { dir } })`, `saveCheckpoint(dir)` and
 * `restore(dir)` write and read folders (see {@link writeTrainingCheckpoint}).
 */
export const folderCheckpoints: CheckpointStore = {
  write: writeTrainingCheckpoint,
  read: readTrainingCheckpoint,
};

interface TrainerFile {
  format: typeof FORMAT;
  version: number;
  progress: TrainingProgress;
  rng: number;
  optimizer: { kind: OptimizerKind; sha256: string };
  schedule: CheckpointContents['schedule'];
  best: { sha256: string } | null;
}

/**
 * Writes a training checkpoint to `dir`, atomically (a temporary sibling renamed into
 * place): `trainer.json` (progress, RNG state, schedule, checksums), `model/` (a saved
 * model that {@link loadModel} reads on its own), `optimizer/` (its slots by parameter
 * path) and, when early stopping keeps them, `best/` (the best weights so far).
 */
export async function writeTrainingCheckpoint(dir: string, c: CheckpointContents): Promise<void> {
  const optimizerState = await exportOptimizerState(c.kind, c.optimizer, c.model.parameters());
  try {
    await writeFolderAtomically(dir, async (tmp) => {
      await saveModel(join(tmp, 'model'), c.model, c.extras);
      const optimizerSha = await writeIn(join(tmp, 'optimizer'), optimizerState);
      const bestSha = c.bestWeights ? await writeIn(join(tmp, 'best'), c.bestWeights) : null;
      const file: TrainerFile = {
        format: FORMAT,
        version: VERSION,
        progress: c.progress,
        rng: c.rngState,
        optimizer: { kind: c.kind, sha256: optimizerSha },
        schedule: c.schedule,
        best: bestSha === null ? null : { sha256: bestSha },
      };
      await writeFile(join(tmp, TRAINER_FILE), `${JSON.stringify(file, null, 2)}\n`);
      await sealFolder(tmp); // last: a checkpoint with valid checksums is complete
    });
  } finally {
    for (const t of optimizerState.values()) t.dispose();
  }
}

/**
 * Reads a checkpoint written by {@link writeTrainingCheckpoint} for `model` and an optimizer
 * of `kind`. A missing, truncated or corrupted file, a checkpoint of another model config
 * or another optimizer is a {@link CheckpointError} naming the file. Checks file integrity
 * and identity; shapes are checked where the tensors are applied.
 */
export async function readTrainingCheckpoint(
  dir: string,
  model: Seq2Seq,
  kind: OptimizerKind,
): Promise<LoadedCheckpoint> {
  await recoverFolder(dir);
  const folder = await SealedFolder.open(dir);
  const path = join(dir, TRAINER_FILE);
  const file = (await folder.json(TRAINER_FILE)) as Partial<TrainerFile> | null;
  if (!file || file.format !== FORMAT) {
    throw new CheckpointError(path, `is not an s2s training checkpoint (format '${FORMAT}')`);
  }
  if (file.version !== VERSION) {
    throw new CheckpointError(path, `has version ${file.version}; this @s2s/core reads ${VERSION}`);
  }
  const progress = checkProgress(file.progress, path);
  if (!Number.isInteger(file.rng)) throw new CheckpointError(path, "has no integer 'rng' state");
  if (file.optimizer?.kind !== kind) {
    throw new CheckpointError(
      path,
      `holds the state of a ${file.optimizer?.kind} optimizer; this trainer uses ${kind}`,
    );
  }
  if (typeof file.optimizer.sha256 !== 'string') {
    throw new CheckpointError(path, "has no 'optimizer.sha256' checksum; it is mandatory");
  }
  if (file.best !== null && typeof file.best?.sha256 !== 'string') {
    throw new CheckpointError(path, "has no 'best.sha256' checksum; it is mandatory");
  }
  const modelDir = join(dir, 'model');
  const sha256 = await checkModelFile(folder, `model/${MODEL_FILE}`, model);
  const owned: Map<string, tf.Tensor>[] = [];
  try {
    const weights = await readWeights(folder, { sub: 'model', sha256 });
    owned.push(weights);
    const optimizerState = await readWeights(folder, {
      sub: 'optimizer',
      sha256: file.optimizer.sha256,
    });
    owned.push(optimizerState);
    const bestWeights = file.best
      ? await readWeights(folder, { sub: 'best', sha256: file.best.sha256 })
      : undefined;
    return {
      weights,
      weightsFile: join(modelDir, 'weights.bin'),
      optimizerState,
      optimizerFile: join(dir, 'optimizer', 'weights.bin'),
      ...(bestWeights ? { bestWeights, bestFile: join(dir, 'best', 'weights.bin') } : {}),
      rngState: file.rng as number,
      progress,
    };
  } catch (error) {
    for (const map of owned) for (const t of map.values()) t.dispose();
    throw error;
  }
}

/** Writes a weight set into a new sub-folder; returns its SHA-256. */
async function writeIn(dir: string, tensors: ReadonlyMap<string, tf.Tensor>): Promise<string> {
  await mkdir(dir);
  return writeWeights(dir, tensors);
}

/** Checks that `model.json` was saved from this model's config; returns its checksum. */
async function checkModelFile(folder: SealedFolder, rel: string, model: Seq2Seq): Promise<string> {
  const path = join(folder.dir, rel);
  const file = (await folder.json(rel)) as {
    config?: unknown;
    weights?: { sha256?: unknown };
  } | null;
  if (typeof file?.weights?.sha256 !== 'string') {
    throw new CheckpointError(path, 'is not an s2s model file with a weights checksum');
  }
  const difference = firstDifference(file.config, model.config, 'config');
  if (difference) {
    throw new CheckpointError(
      path,
      `was saved from another model config (${difference}); resume with the model it was trained with`,
    );
  }
  return file.weights.sha256;
}

/** Where two JSON values first differ (`config.decoder.hidden: 4 vs 8`), or undefined. */
function firstDifference(saved: unknown, current: unknown, at: string): string | undefined {
  if (isRecord(saved) && isRecord(current)) {
    const keys = new Set([...Object.keys(saved), ...Object.keys(current)]);
    for (const key of [...keys].sort()) {
      const found = firstDifference(saved[key], current[key], `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  const a = JSON.stringify(saved);
  const b = JSON.stringify(current);
  return a === b ? undefined : `${at}: checkpoint ${a ?? 'absent'}, model ${b ?? 'absent'}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkProgress(value: unknown, path: string): TrainingProgress {
  const p = value as Partial<TrainingProgress> | undefined;
  const counts = ['step', 'epoch', 'batch', 'badEpochs'] as const;
  const sums = ['epochLoss', 'epochTokens'] as const;
  if (
    !p ||
    counts.some((k) => !Number.isInteger(p[k]) || (p[k] as number) < 0) ||
    sums.some((k) => typeof p[k] !== 'number' || !Number.isFinite(p[k])) ||
    (p.best !== null && !isBest(p.best))
  ) {
    throw new CheckpointError(path, `has a malformed 'progress' entry ${JSON.stringify(p)}`);
  }
  return p as TrainingProgress;
}

function isBest(value: unknown): value is BestResult {
  const b = value as Partial<BestResult> | undefined;
  return (
    !!b &&
    Number.isInteger(b.epoch) &&
    Number.isInteger(b.step) &&
    typeof b.value === 'number' &&
    Number.isFinite(b.value)
  );
}
