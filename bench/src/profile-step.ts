/**
 * Where the reference training step's time goes, on one thread: every kernel of the
 * backend wrapped with a timer (the process's CPU time across the kernel function itself,
 * steadier than wall time on a shared machine; the timer adds about 1 µs a kernel), the
 * step's total CPU time, and so the CPU time spent outside kernels (op dispatch, the
 * gradient tape, tidy, JS). Prints kernels per step and the top kernels by count and time.
 *
 *   node bench/dist/profile-step.js [--steps 5] [--warmup 2] [--top 15] [--shapes]
 *                                   [--batch 64] [--json]
 */
import { parseArgs } from 'node:util';
import { disposeBatch, Trainer, useBackend } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { randomBatch, reference, referenceModel } from './reference-model.js';
import { formatTable, round } from './report.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    top: { type: 'string', default: '15' },
    backend: { type: 'string', default: 'wasm' },
    // Rows per step: compare 64 with 32 to see what does not shrink with the rows.
    batch: { type: 'string', default: String(reference.batch) },
    json: { type: 'boolean', default: false },
    // Key the statistics by kernel and input shapes, to see which call sites cost.
    shapes: { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const warmup = Number(args.warmup);

const backend = await useBackend(args.backend as never);
const name = tf.getBackend();
const stats = new Map<string, { count: number; us: number }>();
let on = false;
const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
// Wrap every kernel of the backend; a kernel that calls another through its captured
// function (s2s's wrapped matMuls) is counted once, as the engine dispatched it.
for (const config of tf.getKernelsForBackend(name)) {
  const inner = config.kernelFunc;
  const kernelName = config.kernelName;
  tf.unregisterKernel(kernelName, name);
  tf.registerKernel({
    ...config,
    kernelFunc: ((a: never) => {
      if (!on) return inner(a);
      const t0 = cpuUs();
      const out = inner(a);
      const us = cpuUs() - t0;
      const key = args.shapes
        ? `${kernelName} ${Object.values((a as { inputs: Record<string, tf.TensorInfo> }).inputs)
            .map((t) => `[${t.shape}]`)
            .join(' ')}`
        : kernelName;
      const s = stats.get(key) ?? { count: 0, us: 0 };
      s.count++;
      s.us += us;
      stats.set(key, s);
      return out;
    }) as tf.KernelFunc,
  });
}

const model = referenceModel();
const trainer = new Trainer(model, { learningRate: 1e-3, clipNorm: 0 });
const batch = randomBatch(1, Number(args.batch));
for (let i = 0; i < warmup; i++) await trainer.stepAsync(batch);
let wall = 0;
let cpu = 0;
for (let i = 0; i < steps; i++) {
  on = true;
  const [t0, c0] = [performance.now(), cpuUs()];
  await trainer.stepAsync(batch);
  cpu += cpuUs() - c0;
  wall += performance.now() - t0;
  on = false;
}
trainer.dispose();
model.dispose();
disposeBatch(batch);

const rows = [...stats].map(([k, s]) => ({
  kernel: k,
  count: s.count / steps,
  ms: s.us / 1000 / steps,
}));
const kernels = rows.reduce((a, r) => a + r.count, 0);
const kernelMs = rows.reduce((a, r) => a + r.ms, 0);
const result = {
  backend: backend.description,
  steps,
  wallMsPerStep: round(wall / steps),
  cpuMsPerStep: round(cpu / 1000 / steps),
  kernelsPerStep: Math.round(kernels),
  kernelMsPerStep: round(kernelMs),
  outsideKernelsMsPerStep: round(cpu / 1000 / steps - kernelMs),
  byCount: [...rows].sort((a, b) => b.count - a.count),
  byTime: [...rows].sort((a, b) => b.ms - a.ms),
};
if (args.json) console.log(JSON.stringify(result));
else {
  const top = Number(args.top);
  console.log(
    `reference training step (batch ${args.batch}) on ${result.backend}, one thread, ${steps} steps after ${warmup} warm-up`,
  );
  console.log(
    `wall ${result.wallMsPerStep} ms/step, CPU ${result.cpuMsPerStep} ms/step; ${result.kernelsPerStep} kernels/step taking ${result.kernelMsPerStep} CPU ms; outside kernels ${result.outsideKernelsMsPerStep} ms (${round((100 * result.outsideKernelsMsPerStep) / result.cpuMsPerStep, 1)}% of the CPU time)`,
  );
  const table = (rs: typeof rows) =>
    formatTable(
      ['kernel', 'calls / step', 'CPU ms / step', 'µs / call'],
      rs
        .slice(0, top)
        .map((r) => [
          r.kernel,
          round(r.count, 1),
          round(r.ms, 2),
          round((1000 * r.ms) / r.count, 1),
        ]),
    );
  console.log(`\nby time:\n${table(result.byTime)}`);
  console.log(`\nby count:\n${table(result.byCount)}`);
}
