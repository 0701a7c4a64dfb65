/** Where a reference training step spends its time, by kernel (tf.profile). Run by hand. */
import * as tf from '@tensorflow/tfjs';
import { disposeBatch, Trainer, useBackend } from '@s2s/core';
import { randomBatch, referenceModel } from './reference-model.js';

await useBackend((process.argv[2] as 'wasm' | 'cpu') ?? 'wasm');
const model = referenceModel();
const trainer = new Trainer(model, { clipNorm: 0 });
const batch = randomBatch();
trainer.step(batch);
const t0 = performance.now();
const info = await tf.profile(() => {
  trainer.step(batch);
});
const wall = performance.now() - t0;
const byKernel = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const e = byKernel.get(key) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  byKernel.set(key, e);
}
const byName = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) {
  const e = byName.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  byName.set(k.name, e);
}
const total = info.kernels.reduce((s, k) => s + (k.kernelTimeMs as number), 0);
console.log(`wall ${wall.toFixed(0)} ms (profiled), kernels ${info.kernels.length}, kernel time ${total.toFixed(0)} ms`);
for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${name.padEnd(24)} ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.n).padStart(5)} calls`);
}
console.log('--- top shapes');
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${e.ms.toFixed(1).padStart(8)} ms ${String(e.n).padStart(4)}x  ${name}`);
}
disposeBatch(batch);
