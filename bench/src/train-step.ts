/**
 * Times one training step of the reference model (see reference-model.ts) with the batch
 * split over 1 and 2 threads (`Trainer({ workers })`), and the PyTorch anchor at 1 and 2
 * threads, interleaved round by round in one run so that load from other processes falls
 * on every configuration alike. Prints the load average beside the figures, and memory
 * per worker thread and in total.
 *
 *   npm run bench:train-step [-- --json] [--rounds 3] [--steps 5] [--workers 1,2]
 *                            [--torch-threads 1,2] [--no-torch] [--torch-script PATH]
 *                            [--lstm fused,composite]
 *
 * `--lstm fused,composite` adds, for one worker, the same step with the composite LSTM
 * cell (the fused wasm kernel unregistered while it runs), interleaved with the rest.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type BackendChoice, disposeBatch, setFusedLstm, Trainer, useBackend } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { pluginModules, randomBatch, reference, referenceModel } from './reference-model.js';
import { formatTable, medianOf, memoryReport, round } from './report.js';
import { runTorchReference } from './torch.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1,2' },
    'torch-threads': { type: 'string', default: '1,2' },
    'no-torch': { type: 'boolean', default: false },
    'torch-script': { type: 'string' },
    lstm: { type: 'string', default: 'fused' },
  },
});

const rounds = Number(args.rounds);
const steps = Number(args.steps);
const warmup = Number(args.warmup);
const workerCounts = args.workers.split(',').map(Number);
const cellKinds = args.lstm.split(',') as ('fused' | 'composite')[];
for (const kind of cellKinds) {
  if (kind !== 'fused' && kind !== 'composite') {
    throw new Error(`--lstm takes fused and/or composite, found "${kind}"`);
  }
}
const torchThreads = args['no-torch'] ? [] : args['torch-threads'].split(',').map(Number);
const load = [loadavg()[0]!];

const backend = await useBackend(args.backend as BackendChoice);
const batch = randomBatch();
// One model and trainer per configuration, all from the same seed, warmed up before timing.
// The composite cell is timed at one worker only: worker threads install their own kernels.
const configs = cellKinds.flatMap((cell) =>
  (cell === 'fused' ? workerCounts : workerCounts.filter((w) => w === 1)).map((workers) => ({
    workers,
    cell,
  })),
);
const runs = configs.map(({ workers, cell }) => {
  const model = referenceModel();
  const trainer = new Trainer(model, {
    learningRate: 1e-3,
    clipNorm: 0,
    workers,
    plugins: pluginModules,
  });
  return { workers, cell, model, trainer, wall: [] as number[], cpu: [] as number[], loss: NaN };
});
// Only an A/B run switches the kernel, so S2S_FUSED_LSTM=0 still holds otherwise.
const chooseCell = (cell: string) => {
  if (cellKinds.length > 1) setFusedLstm(cell === 'fused');
};
for (const run of runs) {
  chooseCell(run.cell);
  for (let i = 0; i < warmup; i++) await run.trainer.stepAsync(batch);
}
const torch = new Map(torchThreads.map((t) => [t, [] as number[]]));
let torchNote: string | undefined;
for (let r = 0; r < rounds; r++) {
  for (const run of runs) {
    chooseCell(run.cell);
    for (let i = 0; i < steps; i++) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      run.loss = (await run.trainer.stepAsync(batch)).loss;
      const c = process.cpuUsage(c0);
      run.wall.push(performance.now() - t0);
      // CPU time of every thread of the process, workers included.
      run.cpu.push((c.user + c.system) / 1000);
    }
  }
  for (const [threads, times] of torch) {
    const figures = runTorchReference({ script: args['torch-script'], threads });
    if (typeof figures === 'string') torchNote = figures;
    else times.push(figures.trainStepMs);
  }
  load.push(loadavg()[0]!);
}
chooseCell('fused');
const widest = runs.reduce((a, r) => (r.workers > a.workers ? r : a));
const memory = await memoryReport(widest.trainer);
for (const run of runs) {
  await run.trainer.close();
  run.trainer.dispose();
  run.model.dispose();
}
disposeBatch(batch);

const median = (xs: number[]) => (xs.length ? round(medianOf(xs)) : null);
const base = median(runs[0]!.wall)!;
const torchMs = [...torch].map(([threads, times]) => ({ threads, ms: median(times) }));
const bestTorch = Math.min(...torchMs.map((t) => t.ms ?? Infinity));
const result = {
  backend: backend.description,
  model: reference,
  rounds,
  stepsPerRound: steps,
  loadAverage1m: load.map((l) => round(l, 2)),
  s2s: runs.map((run) => ({
    workers: run.workers,
    lstm: run.cell,
    msPerStep: median(run.wall),
    cpuMsPerStep: median(run.cpu),
    perRoundMs: Array.from({ length: rounds }, (_, r) =>
      round(medianOf(run.wall.slice(r * steps, (r + 1) * steps))),
    ),
    toOneWorker: round(median(run.wall)! / base, 2),
    toBestTorch: Number.isFinite(bestTorch) ? round(median(run.wall)! / bestTorch, 2) : null,
    loss: round(run.loss, 4),
  })),
  torch: torchMs.map((t) => ({ ...t, allMs: torch.get(t.threads) })),
  torchNote,
  memory,
  tensorsLeft: tf.memory().numTensors,
};

if (args.json) {
  console.log(JSON.stringify(result));
} else {
  const r = reference;
  console.log(
    `one training step: LSTM enc-dec + additive attention, B=${r.batch} S=T=${r.source} E=${r.embedding} H=${r.hidden} A=${r.attention} V=${r.vocab}, Adam`,
  );
  console.log(
    `${rounds} interleaved rounds of ${steps} steps per configuration after ${warmup} warm-up; s2s on ${result.backend}`,
  );
  console.log(
    `load average (1 min) at start and after each round: ${result.loadAverage1m.join(', ')}\n`,
  );
  console.log(
    formatTable(
      [
        'implementation',
        'ms / step (median)',
        'per round',
        'CPU ms / step',
        '× 1 worker',
        '× best PyTorch',
      ],
      [
        ...result.s2s.map((s) => [
          `s2s, ${s.workers} worker${s.workers > 1 ? 's' : ''}${cellKinds.length > 1 ? `, ${s.lstm} LSTM cell` : ''}`,
          s.msPerStep,
          s.perRoundMs.join(' / '),
          s.cpuMsPerStep,
          s.toOneWorker,
          s.toBestTorch ?? 'n/a',
        ]),
        ...result.torch.map((t) => [
          `PyTorch, ${t.threads} thread${t.threads > 1 ? 's' : ''}`,
          t.ms ?? 'n/a',
          (t.allMs ?? []).join(' / '),
          '',
          '',
          t.ms !== null && Number.isFinite(bestTorch) ? round(t.ms / bestTorch, 2) : 'n/a',
        ]),
      ],
    ),
  );
  if (torchNote) console.log(`\nPyTorch: ${torchNote}`);
  console.log(`\n${memory.text}`);
}
