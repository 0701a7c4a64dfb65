import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  type BatchOptions,
  type BatchSource,
  registry,
  S2SError,
  type Task,
  type TaskExample,
  Trainer,
} from '@s2s/core';
import { loadModel, readWeights } from '@s2s/core/node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, toyFlags, toyWorkspace } from '../../test/harness.js';
import { LOCK_FILE } from '../files/run-lock.js';
import { toyReverseTask } from '../testing/toy-task.js';
import { readLog } from './training-log.js';

let ws: Awaited<ReturnType<typeof toyWorkspace>>;
const train = (args: string[], extra: Parameters<typeof runCli>[1] | object = {}) =>
  runCli(['train', ...args, ...toyFlags], { cwd: ws.dir, ...extra });

/** The toy task under another name, with its batch sources passed through `wrap`. */
function toyVariant(
  name: string,
  wrap: (source: BatchSource, options: BatchOptions) => BatchSource,
): Task {
  return {
    ...toyReverseTask,
    name,
    async fit(examples, settings) {
      const pipeline = await toyReverseTask.fit(examples, settings);
      const batches = (e: readonly TaskExample[], o: BatchOptions) =>
        wrap(pipeline.batches(e, o), o);
      return Object.assign(Object.create(pipeline), { batches });
    },
  };
}

/**
 * Training batches that pull the plug: when the batch of global step `interruptAt.step` is
 * handed out, `interruptAt.controller` aborts — as a Ctrl-C during that step would.
 */
const interruptAt: { step: number; controller?: AbortController } = { step: Infinity };
const interruptible = toyVariant('toy-interruptible', (source, options) => {
  if (!options.shuffle) return source;
  let handedOut = 0;
  return {
    ...(source.length !== undefined ? { length: source.length } : {}),
    *epoch(index: number) {
      for (const batch of source.epoch(index)) {
        if (++handedOut === interruptAt.step) interruptAt.controller?.abort();
        yield batch;
      }
    },
  };
});

/** Training batches that cannot be built, as a task with a bug would fail. */
const failing = toyVariant('toy-failing', () => ({
  epoch: () => {
    throw new S2SError('cannot batch');
  },
}));

/** Trains the toy task on `train.tsv` into the run folder `out`. */
const trainToy = (out: string, ...more: string[]) =>
  train(['toy-reverse', '--data', 'train.tsv', '--out', out, ...more]);

beforeAll(async () => {
  ws = await toyWorkspace();
  registry.register({ kind: 'task', name: interruptible.name, create: () => interruptible });
  registry.register({ kind: 'task', name: failing.name, create: () => failing });
});
afterAll(() => ws.cleanup());

describe('s2s train', () => {
  it('trains, validates each epoch, and saves a model the registry rebuilds, with its log', async () => {
    const r = await train(['toy-reverse', '--data', 'train.tsv', '--out', 'basic'], {
      stderrIsTTY: true,
    });
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join('basic', 'model')}\n`);
    // The bar: batches done, ETA, tokens per second and the running loss.
    expect(r.stderr).toMatch(
      /epoch 1\/2 .* \d+\/6 batches \| ETA \S+ \| [\d,]+ tok\/s \| loss \d\.\d{4}/,
    );
    expect(r.stderr).toMatch(
      /epoch 2\/2, train loss \d\.\d{4}, dev loss \d\.\d{4}, dev exact_match \d+(\.\d\d)?/,
    );

    const loaded = await loadModel(join(ws.dir, 'basic', 'model'));
    expect(loaded.metadata).toMatchObject({
      task: 'toy-reverse',
      settings: { training: { epochs: 2, batchSize: 16 } },
      data: { examples: 96 },
      training: { steps: 12, epochs: 2, stopReason: 'completed' },
    });
    loaded.model.dispose();

    const log = await readLog(join(ws.dir, 'basic', 'train-log.jsonl'));
    const steps = log.filter((l) => l.type === 'step');
    // 96 examples, 10% held out: 86 to train on, 6 batches of at most 16, two epochs.
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const s of steps) {
      expect(s.loss).toBeGreaterThan(0);
      expect(s.lr).toBe(0.01);
      expect(s.tokensPerSecond).toBeGreaterThan(0);
    }
    const epochs = log.filter((l) => l.type === 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[1]).toMatchObject({ epoch: 1, step: 12, validation: { metric: 'exact_match' } });
    expect(epochs[1]!.validation!.scores).toHaveProperty('char_accuracy');
    // Training on a task this small must make progress within two epochs.
    expect(epochs[1]!.trainLoss!).toBeLessThan(epochs[0]!.trainLoss!);
  });

  it('continues exactly: interrupted mid-epoch and resumed equals never interrupted', async () => {
    const args = (out: string) => ['toy-interruptible', '--data', 'train.tsv', '--out', out];
    interruptAt.step = Infinity;
    expect((await train(args('straight'))).status).toBe(0);

    interruptAt.step = 9; // the third batch of the second epoch
    interruptAt.controller = new AbortController();
    const stopped = await train(args('resumed'), { signal: interruptAt.controller.signal });
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toContain('interrupted at step 9 (epoch 2, batch 3)');
    expect(stopped.stderr).toContain(
      'continue with: s2s train toy-interruptible --data train.tsv --out resumed --resume',
    );
    expect(existsSync(join(ws.dir, 'resumed', 'model'))).toBe(false);
    // What Ctrl-C leaves behind is a model in its own right.
    const checkpoint = await loadModel(join(ws.dir, 'resumed', 'checkpoint', 'model'));
    checkpoint.model.dispose();

    interruptAt.step = Infinity;
    const resumed = await train([...args('resumed'), '--resume']);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toContain('resuming resumed at epoch 2, step 9');
    const [a, b] = await Promise.all(
      ['straight', 'resumed'].map(async (run) => {
        const dir = join(ws.dir, run, 'model');
        const sha = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weights.sha256;
        return readWeights(dir, { sha256: sha });
      }),
    );
    expect([...b!.keys()]).toEqual([...a!.keys()]);
    for (const [name, t] of a!)
      expect(Array.from(b!.get(name)!.dataSync()), name).toEqual(Array.from(t.dataSync()));
    tf.dispose([...a!.values(), ...b!.values()]);
    // The resumed log reads as one run: the same steps, losses and validations.
    const strip = async (run: string) =>
      (await readLog(join(ws.dir, run, 'train-log.jsonl'))).map((r) =>
        r.type === 'step' ? { ...r, tokensPerSecond: 0 } : r,
      );
    expect(await strip('resumed')).toEqual(await strip('straight'));
  });

  it('extends a finished run with --resume --epochs', async () => {
    const r = await trainToy('basic', '--resume', '--epochs', '3');
    expect(r.status).toBe(0);
    const log = await readLog(join(ws.dir, 'basic', 'train-log.jsonl'));
    expect(log.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([0, 1, 2]);
    expect(log.filter((l) => l.type === 'step')).toHaveLength(18);
  });

  it('takes settings from --config, key by key over the task defaults', async () => {
    await writeFile(
      join(ws.dir, 'one-epoch.json'),
      JSON.stringify({ training: { epochs: 1, batchSize: 43 } }),
    );
    const r = await trainToy('configured', '--config', 'one-epoch.json');
    expect(r.status).toBe(0);
    const loaded = await loadModel(join(ws.dir, 'configured', 'model'));
    // 86 training examples in batches of 43: two steps; the learning rate is still the task's.
    expect(loaded.metadata).toMatchObject({
      settings: { training: { epochs: 1, batchSize: 43, learningRate: 0.01 } },
      training: { steps: 2, epochs: 1 },
    });
    loaded.model.dispose();
  });

  it('a new run that fails before its first checkpoint leaves nothing behind', async () => {
    const args = ['toy-failing', '--data', 'train.tsv', '--out', 'failed'];
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await train(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('s2s: error: cannot batch');
      expect(existsSync(join(ws.dir, 'failed'))).toBe(false);
    }
  });

  it('protects an existing run and checks what --resume is given', async () => {
    const again = await trainToy('basic');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      's2s: error: basic already holds a training run; continue it with --resume, or choose another --out',
    );
    const resume = (task: string, data: string, out: string, ...more: string[]) =>
      train([task, '--data', data, '--out', out, '--resume', ...more]);
    const cases: [() => ReturnType<typeof train>, string][] = [
      [
        () => resume('toy-reverse', 'train.tsv', 'fresh'),
        'nothing to resume: fresh has no checkpoint',
      ],
      [
        () => resume('toy-reverse', 'train.tsv', 'basic', '--config', 'one-epoch.json'),
        '--resume continues with the settings saved in basic; drop --config',
      ],
      [
        () => resume('toy-reverse', 'test.tsv', 'basic'),
        'the data differs from the data this run was trained on (20 examples now, 96 then)',
      ],
      [
        () => resume('toy-interruptible', 'train.tsv', 'basic'),
        "basic is a run of task 'toy-reverse', not 'toy-interruptible'",
      ],
    ];
    for (const [run, message] of cases) {
      const r = await run();
      expect(r.stderr).toContain(`s2s: error: ${message}`);
      expect(r.status).toBe(1);
    }
  });
});

describe('s2s train survives crashes and concurrent runs', () => {
  /** The id of a process that has exited: a lock or leftover of a killed run. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

  it('resumes from the newest complete checkpoint after a crash between the two renames', async () => {
    expect((await trainToy('swap-early', '--epochs', '1')).status).toBe(0);
    expect((await trainToy('swap')).status).toBe(0);
    const run = join(ws.dir, 'swap');
    const pid = deadPid();
    // The instant between renaming checkpoint/ aside and the new one into place: both
    // complete copies sit under hidden names, the older one (step 6) as `.old-`.
    await rename(join(run, 'checkpoint'), join(run, `.checkpoint.tmp-${pid}-aa11`));
    await cp(join(ws.dir, 'swap-early', 'checkpoint'), join(run, `.checkpoint.old-${pid}-aa11`), {
      recursive: true,
    });
    const past = new Date(Date.now() - 60_000);
    await utimes(join(run, `.checkpoint.old-${pid}-aa11`, 'checksums.json'), past, past);
    await mkdir(join(run, `.checkpoint.tmp-${pid}-bb22`)); // a write that never finished

    const fresh = await trainToy('swap');
    expect(fresh.stderr).toContain('swap already holds a training run; continue it with --resume');
    const resumed = await trainToy('swap', '--resume', '--epochs', '3');
    expect(resumed.stderr).toContain('resuming swap at epoch 3, step 12');
    expect(resumed.status).toBe(0);
    expect((await readdir(run)).sort()).toEqual(['checkpoint', 'model', 'train-log.jsonl']);
  });

  it('the log on disk reaches every checkpoint the moment it is in place', async () => {
    const original = Trainer.prototype.saveCheckpoint;
    const behind: number[] = [];
    Trainer.prototype.saveCheckpoint = async function (this: Trainer, dir, extras) {
      await original.call(this, dir, extras);
      // A kill -9 here, just after the rename, keeps what is on disk now.
      const step = this.progress.step;
      const log = await readLog(join(dir, '..', 'train-log.jsonl'));
      if (!log.some((r) => r.type === 'step' && r.step === step)) behind.push(step);
    };
    try {
      await writeFile(
        join(ws.dir, 'every-step.json'),
        JSON.stringify({ training: { checkpointEvery: 1 } }),
      );
      expect((await trainToy('log-order', '--config', 'every-step.json')).status).toBe(0);
    } finally {
      Trainer.prototype.saveCheckpoint = original;
    }
    expect(behind).toEqual([]);
  });

  it('refuses a second run into the same --out while the first runs', async () => {
    const [a, b] = await Promise.all([trainToy('twice'), trainToy('twice')]);
    const statuses = [a!.status, b!.status].sort();
    expect(statuses).toEqual([0, 1]);
    const refused = a!.status === 1 ? a! : b!;
    expect(refused.stderr).toMatch(
      new RegExp(
        `s2s: error: twice is in use by another 's2s train' \\(process ${process.pid} on `,
      ),
    );
    const log = await readLog(join(ws.dir, 'twice', 'train-log.jsonl'));
    expect(log.filter((r) => r.type === 'step').map((r) => r.step)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(existsSync(join(ws.dir, 'twice', LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a process that died, and keeps one of a live process', async () => {
    const lock = (pid: number) =>
      `${JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' })}\n`;
    await mkdir(join(ws.dir, 'stale'));
    await writeFile(join(ws.dir, 'stale', LOCK_FILE), lock(deadPid()));
    const r = await trainToy('stale');
    expect(r.stderr).not.toContain('error');
    expect(r.status).toBe(0);

    await writeFile(join(ws.dir, 'stale', LOCK_FILE), lock(process.ppid));
    const held = await trainToy('stale', '--resume', '--epochs', '3');
    expect(held.status).toBe(1);
    expect(held.stderr).toContain(
      `stale is in use by another 's2s train' (process ${process.ppid}`,
    );
    await rm(join(ws.dir, 'stale', LOCK_FILE));
  });
});
