import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  type FitResult,
  MODEL_FILE,
  mergeSettings,
  readTaskModelMetadata,
  Seq2Seq,
  TaskModel,
  type TaskModelMetadata,
  type TaskSettings,
  Trainer,
} from '@s2s/core';
import { folderCheckpoints, modelFolder, recoverFolder, SealedFolder } from '@s2s/core/node';
import { CliError, EXIT_INTERRUPTED } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { LOCK_FILE, lockRun } from '../files/run-lock.js';
import { getTask } from '../model/open-model.js';
import { checkpointModel, type RunPaths, runPaths } from '../model/run-folder.js';
import { readConfigFile } from '../setup/settings.js';
import { ProgressDisplay } from './progress.js';
import { fingerprint, readExamples, splitExamples } from './read-examples.js';
import { interruptSignal } from './sigint.js';
import { taskMetric } from './task-metric.js';
import { trainingSettings } from './train-settings.js';
import { TrainingLog } from './training-log.js';

/** Flags of `s2s train`. */
export interface TrainFlags {
  readonly data: string;
  readonly dev?: string;
  readonly config?: string;
  readonly out?: string;
  readonly resume?: boolean;
  readonly epochs?: number;
  /** Inputs decoded at once when measuring the validation metric. */
  readonly batchSize: number;
}

/**
 * `s2s train <task> --data PATH`: reads and splits the data through the task, fits its
 * pipeline, builds the model, trains with per-epoch validation and checkpoints, and saves
 * the model with everything the other verbs need. Returns the exit status.
 */
export async function trainCommand(
  taskName: string,
  flags: TrainFlags,
  io: CliIO,
): Promise<number> {
  const task = getTask(taskName);
  const data = existing(io, flags.data, 'data');
  const dev = flags.dev === undefined ? undefined : existing(io, flags.dev, 'dev data');
  const shownOut = flags.out ?? join('runs', taskName);
  const paths = runPaths(resolve(io.cwd, shownOut));
  const createdRoot = !existsSync(paths.root);
  await mkdir(paths.root, { recursive: true });
  const lock = await lockRun(paths.root, shownOut);
  try {
    // A crash between the two renames of a checkpoint swap leaves it under a hidden name.
    await recoverFolder(paths.checkpoint);
    await recoverFolder(paths.model);
    return await trainLocked(task, flags, io, { paths, shownOut, data, dev });
  } finally {
    await lock.release();
    if (createdRoot && readdirSync(paths.root).length === 0)
      await rm(paths.root, { recursive: true });
  }
}

interface RunPlace {
  readonly paths: RunPaths;
  readonly shownOut: string;
  readonly data: string;
  readonly dev: string | undefined;
}

/** The body of {@link trainCommand}, run while holding the run folder's lock. */
async function trainLocked(
  task: ReturnType<typeof getTask>,
  flags: TrainFlags,
  io: CliIO,
  { paths, shownOut, data, dev }: RunPlace,
): Promise<number> {
  const saved = flags.resume ? await savedRun(paths, shownOut, task.name, flags) : undefined;
  const held = existsSync(paths.root) ? readdirSync(paths.root).filter((n) => n !== LOCK_FILE) : [];
  if (!flags.resume && held.length > 0) {
    throw new CliError(
      `${shownOut} already holds a training run; continue it with --resume, or choose another --out`,
    );
  }
  let settings: TaskSettings =
    saved?.settings ??
    mergeSettings(
      task.defaults,
      flags.config ? await readConfigFile(resolve(io.cwd, flags.config)) : {},
    );
  if (flags.epochs !== undefined) {
    settings = { ...settings, training: { ...settings.training, epochs: flags.epochs } };
  }
  const { loop, trainer: trainerOptions } = trainingSettings(settings);

  const examples = await readExamples(task, data, flags.data, settings);
  const split = dev
    ? { train: examples, dev: await readExamples(task, dev, flags.dev!, settings) }
    : splitExamples(task, examples, settings);
  if (split.train.length === 0)
    throw new CliError('no training examples are left after holding out the dev set');
  const seen = fingerprint([...split.train, ...split.dev]);
  if (saved && (saved.data.sha256 !== seen.sha256 || saved.data.examples !== seen.examples)) {
    throw new CliError(
      `the data differs from the data this run was trained on (${seen.examples} examples now, ${saved.data.examples} then); resume with the same --data${flags.dev ? ' and --dev' : ''}`,
    );
  }
  const pipeline = saved
    ? task.restore(saved.pipeline, settings)
    : await task.fit(split.train, settings);
  const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
  const taskModel = new TaskModel({ model, task, settings, pipeline, metadata: { data: seen } });
  const metadata = taskModel.metadata();
  const trainer = new Trainer(model, { ...trainerOptions, checkpoints: folderCheckpoints });
  const interrupt = interruptSignal(io);
  const shown = (path: string) => relative(io.cwd, path) || '.';
  try {
    if (saved) await trainer.restore(paths.checkpoint);
    await mkdir(paths.root, { recursive: true });
    const log =
      saved && existsSync(paths.log)
        ? await TrainingLog.resume(paths.log, trainer.progress)
        : await TrainingLog.create(paths.log);
    const batching = {
      batchSize: loop.batchSize,
      seed: loop.seed,
      ...(loop.maxTokens ? { maxTokens: loop.maxTokens } : {}),
    };
    const scoring =
      split.dev.length > 0
        ? taskMetric(split.dev, task, settings, pipeline, flags.batchSize)
        : undefined;
    const display = new ProgressDisplay(
      io.stderr,
      loop.epochs,
      () => scoring?.last(),
      scoring ? split.dev.length : 0,
    );
    if (saved) {
      const p = trainer.progress;
      io.stderr.write(`s2s: resuming ${shownOut} at epoch ${p.epoch + 1}, step ${p.step}\n`);
    }
    io.stderr.write(
      `s2s: training ${task.name} on ${split.train.length} examples, validating on ${split.dev.length}; ${loop.epochs} epochs\n`,
    );
    let result: FitResult;
    try {
      result = await trainer.fit(pipeline.batches(split.train, { ...batching, shuffle: true }), {
        epochs: loop.epochs,
        ...(scoring
          ? {
              validation: pipeline.batches(split.dev, { ...batching, shuffle: false }),
              metric: scoring.metric,
              monitor: 'metric' as const,
            }
          : {}),
        ...(loop.patience ? { earlyStopping: { patience: loop.patience } } : {}),
        checkpoint: {
          dir: paths.checkpoint,
          extras: { metadata },
          // Flushed before the checkpoint is written, so a kill just after it loses no line.
          before: () => log.flush(),
          ...(loop.checkpointEvery ? { everySteps: loop.checkpointEvery } : {}),
        },
        signal: interrupt.signal,
        onStep: (e) => {
          display.step(e);
          log.step(e);
        },
        onEpoch: async (e) => {
          display.epoch(e);
          log.epoch(e, scoring?.last());
          await log.flush();
        },
        // The log on disk must reach at least as far as the checkpoint a resume starts from.
        onCheckpoint: () => log.flush(),
      });
    } finally {
      display.stopBar();
      await log.flush();
    }
    if (result.stopReason === 'aborted') {
      const p = result.progress;
      io.stderr.write(
        `s2s: interrupted at step ${p.step} (epoch ${p.epoch + 1}, batch ${p.batch}); checkpoint saved in ${shown(paths.checkpoint)}\n` +
          `s2s: continue with: s2s train ${task.name} --data ${flags.data} --out ${shownOut} --resume\n`,
      );
      return EXIT_INTERRUPTED;
    }
    const training = {
      steps: result.progress.step,
      epochs: result.progress.epoch,
      stopReason: result.stopReason,
      best: result.best,
    };
    await taskModel.save(modelFolder(paths.model), { metadata: { training } });
    if (result.stopReason === 'early-stopping') {
      io.stderr.write(
        `s2s: stopped early after ${loop.patience} epochs without improvement; kept the best epoch's weights\n`,
      );
    }
    io.stderr.write(
      `s2s: model saved in ${shown(paths.model)}; training log in ${shown(paths.log)}\n`,
    );
    io.stdout.write(`${shown(paths.model)}\n`);
    return 0;
  } catch (error) {
    if (!saved) await removeUnstartedRun(paths);
    throw error;
  } finally {
    interrupt.dispose();
    trainer.dispose();
    model.dispose();
  }
}

/**
 * After a new run fails before its first checkpoint, removes what it wrote (its log, and
 * the run folder if it made it), so the same command can simply be run again.
 */
async function removeUnstartedRun(paths: RunPaths): Promise<void> {
  if (existsSync(paths.checkpoint)) return;
  await rm(paths.log, { force: true });
  // The lock file stays until the lock is released; the caller then removes the folder.
}

/** What `s2s train` saves with a task model: the fingerprint of its training data. */
type RunMetadata = TaskModelMetadata & {
  readonly data: { readonly examples: number; readonly sha256: string };
};

/** The settings, pipeline and data fingerprint of the run `--resume` continues. */
async function savedRun(
  paths: RunPaths,
  shown: string,
  taskName: string,
  flags: TrainFlags,
): Promise<RunMetadata> {
  if (flags.config) {
    throw new CliError(`--resume continues with the settings saved in ${shown}; drop --config`);
  }
  if (!existsSync(paths.checkpoint)) {
    throw new CliError(
      `nothing to resume: ${shown} has no checkpoint (${paths.checkpoint} does not exist)`,
    );
  }
  const file = join(checkpointModel(paths.checkpoint), MODEL_FILE);
  const folder = await SealedFolder.open(checkpointModel(paths.checkpoint));
  const json = ((await folder.json(MODEL_FILE)) ?? {}) as { metadata?: Record<string, unknown> };
  const saved = readTaskModelMetadata(json.metadata ?? {}, file) as RunMetadata;
  if (typeof saved.data?.sha256 !== 'string') {
    throw new CliError(
      `${shown} was not saved by 's2s train' (its model has no data fingerprint), so it cannot be resumed`,
    );
  }
  if (saved.task !== taskName)
    throw new CliError(`${shown} is a run of task '${saved.task}', not '${taskName}'`);
  return saved;
}

function existing(io: CliIO, path: string, what: string): string {
  const full = resolve(io.cwd, path);
  if (!existsSync(full)) throw new CliError(`${what} ${path} does not exist`);
  return full;
}
