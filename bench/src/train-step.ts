/**
 * Times one training step of the reference model (see reference-model.ts) and prints it
 * beside the PyTorch anchor run in the same session.
 *
 *   npm run bench:train-step [-- --json] [--backend wasm] [--steps 7] [--no-torch]
 */
import { parseArgs } from 'node:util';
import { type BackendChoice, disposeBatch, Trainer, useBackend } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { randomBatch, reference, referenceModel } from './reference-model.js';
import { runTorchReference } from './torch.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
    steps: { type: 'string', default: '7' },
    warmup: { type: 'string', default: '2' },
    'no-torch': { type: 'boolean', default: false },
    'torch-script': { type: 'string' },
    threads: { type: 'string', default: '2' },
  },
});

const backend = await useBackend(args.backend as BackendChoice);
const model = referenceModel();
const trainer = new Trainer(model, { learningRate: 1e-3, clipNorm: 0 });
const batch = randomBatch();
const times: number[] = [];
// CPU time of this process too: steadier than wall time when other work shares the cores.
const cpuTimes: number[] = [];
const steps = Number(args.steps);
const warmup = Number(args.warmup);
let loss = Number.NaN;
for (let i = 0; i < warmup + steps; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  loss = trainer.step(batch).loss;
  const cpu = process.cpuUsage(c0);
  if (i >= warmup) {
    times.push(performance.now() - t0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
}
disposeBatch(batch);
trainer.dispose();
model.dispose();
const median = medianOf(times);
const torch = args['no-torch']
  ? 'skipped (--no-torch)'
  : runTorchReference({ script: args['torch-script'], threads: Number(args.threads) });

const result = {
  backend: backend.name,
  backendDescription: backend.description,
  model: reference,
  trainStepMs: round(median),
  trainStepCpuMs: round(medianOf(cpuTimes)),
  allMs: times.map((t) => round(t)),
  loss: round(loss, 4),
  torch:
    typeof torch === 'string'
      ? null
      : { trainStepMs: torch.trainStepMs, matmulGflops: torch.matmulGflops, line: torch.line },
  torchNote: typeof torch === 'string' ? torch : undefined,
  ratioToTorch: typeof torch === 'string' ? null : round(median / torch.trainStepMs, 2),
  tensorsLeft: tf.memory().numTensors,
};

if (args.json) {
  console.log(JSON.stringify(result));
} else {
  const r = reference;
  console.log(
    `one training step: LSTM enc-dec + additive attention, B=${r.batch} S=T=${r.source} E=${r.embedding} H=${r.hidden} A=${r.attention} V=${r.vocab}, Adam`,
  );
  console.log(`median of ${steps} steps after ${warmup} warm-up\n`);
  console.log('| implementation | ms / step | ratio to PyTorch |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| s2s, ${backend.description} | ${result.trainStepMs} | ${result.ratioToTorch ?? 'n/a'} |`,
  );
  if (typeof torch === 'string') console.log(`| PyTorch | n/a | ${torch} |`);
  else
    console.log(`| PyTorch (${args.threads} threads, same session) | ${torch.trainStepMs} | 1 |`);
  console.log(
    `\nall s2s steps (ms): ${result.allMs.join(', ')}; median CPU time ${result.trainStepCpuMs} ms`,
  );
}

function medianOf(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}
