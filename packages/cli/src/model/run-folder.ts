import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MODEL_FILE } from '@s2s/core';
import { CliError } from '../cli/errors.js';

/** What `s2s train --out DIR` writes. */
export interface RunPaths {
  readonly root: string;
  /** The finished model, written at the end of training. */
  readonly model: string;
  /** The latest training checkpoint (weights, optimizer, progress), for `--resume`. */
  readonly checkpoint: string;
  /** One JSON object per line: steps, epochs; what `inspect --curves` plots. */
  readonly log: string;
}

/** The files of a training run in `root`. */
export function runPaths(root: string): RunPaths {
  return {
    root,
    model: join(root, 'model'),
    checkpoint: join(root, 'checkpoint'),
    log: join(root, 'train-log.jsonl'),
  };
}

/** Where a checkpoint keeps its loadable model. */
export function checkpointModel(checkpoint: string): string {
  return join(checkpoint, 'model');
}

/** A model folder the user named, and the run it belongs to if any. */
export interface LocatedModel {
  readonly dir: string;
  readonly run?: RunPaths;
  /** Set when the run has no finished model and its latest checkpoint is used instead. */
  readonly fromCheckpoint: boolean;
}

/**
 * Finds the model a user means by `path`: a model folder (`model.json` inside), or a run
 * folder from `s2s train`, whose finished model is used, or — while training has not
 * finished — its latest checkpoint.
 */
export function locateModel(path: string, shown: string): LocatedModel {
  if (!existsSync(path)) throw new CliError(`model folder ${shown} does not exist`);
  if (!statSync(path).isDirectory())
    throw new CliError(`${shown} is a file; expected a model folder`);
  if (existsSync(join(path, MODEL_FILE))) {
    const parent = runPaths(dirname(path));
    const inRun = basename(path) === 'model' && existsSync(parent.log);
    return { dir: path, ...(inRun ? { run: parent } : {}), fromCheckpoint: false };
  }
  const run = runPaths(path);
  if (existsSync(join(run.model, MODEL_FILE)))
    return { dir: run.model, run, fromCheckpoint: false };
  if (existsSync(join(checkpointModel(run.checkpoint), MODEL_FILE))) {
    return { dir: checkpointModel(run.checkpoint), run, fromCheckpoint: true };
  }
  throw new CliError(
    `${shown} holds no s2s model: expected ${MODEL_FILE} there, or a run folder from 's2s train'`,
  );
}
