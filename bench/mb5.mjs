import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@s2s/core';
await useBackend('wasm');
const be = tf.backend();
const cpu = () => { const x = process.cpuUsage(); return (x.user + x.system) / 1000; };
function time(name, f, n = 40) { for (let i = 0; i < 5; i++) tf.dispose(f()); const c0 = cpu(); for (let i = 0; i < n; i++) tf.dispose(f()); console.log(name.padEnd(40), ((cpu() - c0) / n * 1000).toFixed(0), 'µs cpu'); }
const x = tf.randomNormal([64, 20, 256]);
const two = tf.scalar(2), one = tf.scalar(1);
const sig = tf.getKernel('Sigmoid', 'wasm'), mulK = tf.getKernel('Multiply', 'wasm'), subK = tf.getKernel('Sub', 'wasm');
const run = (k, inputs) => k.kernelFunc({ inputs, backend: be, attrs: {} });
const viaKernels = () => { const d = run(mulK, { a: x, b: two }); const s = run(sig, { x: d }); be.disposeData(d.dataId); const m = run(mulK, { a: s, b: two }); be.disposeData(s.dataId); const o = run(subK, { a: m, b: one }); be.disposeData(m.dataId); return tf.engine().makeTensorFromTensorInfo(o); };
for (let r = 0; r < 3; r++) {
time('tanh (current)', () => tf.tanh(x));
time('sigmoid', () => tf.sigmoid(x));
time('mul scalar', () => tf.mul(x, two));
time('tanh via 4 wasm kernels', viaKernels);
}
const a = tf.tanh(x).dataSync(), b = viaKernels().dataSync(); let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); console.log('maxdiff', m);
