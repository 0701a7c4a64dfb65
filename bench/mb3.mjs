import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@s2s/core';
await useBackend('wasm');
const cpu = () => { const x = process.cpuUsage(); return (x.user + x.system) / 1000; };
function time(name, f, n = 30) { for (let i = 0; i < 5; i++) tf.dispose(f()); const c0 = cpu(); for (let i = 0; i < n; i++) tf.dispose(f()); console.log(name.padEnd(40), ((cpu() - c0) / n * 1000).toFixed(0), 'µs cpu'); }
const w = tf.randomNormal([1280, 1024]);
const ones = tf.ones([1, 1280]);
const x = tf.randomNormal([64, 20, 256]);
for (let r = 0; r < 2; r++) {
time('sum axis0 [1280,1024]', () => tf.sum(w, 0));
time('ones matmul [1280,1024]', () => tf.matMul(ones, w));
time('fresh w: sum axis0', () => { const w2 = tf.add(w, 0); const s = tf.sum(w2, 0); w2.dispose(); return s; });
time('fresh w: ones matmul', () => { const w2 = tf.add(w, 0); const s = tf.matMul(ones, w2); w2.dispose(); return s; });
time('fresh w: add only', () => tf.add(w, 0));
time('sum axis1 [64,20,256]', () => tf.sum(x, 1));
time('sum axis2 [64,20,256]', () => tf.sum(x, 2));
time('tanh [64,20,256]', () => tf.tanh(x));
time('sigmoid [64,20,256]', () => tf.sigmoid(x));
}
