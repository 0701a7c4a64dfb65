import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@s2s/core';
await useBackend('wasm');
const be = tf.backend();
const cpu = () => { const x = process.cpuUsage(); return (x.user + x.system) / 1000; };
const x = tf.randomNormal([64, 20, 256]); const y = tf.zerosLike(x);
const hx = be.typedArrayFromHeap(x), hy = be.typedArrayFromHeap(y);
const px = new Float32Array(hx.length).map(Math.random), py = new Float32Array(hx.length);
function loop(a, o) { for (let i = 0; i < o.length; i++) o[i] = 2 * a[i] - 1; }
function loop2(a, o) { const n = o.length; for (let i = 0; i < n; i++) o[i] = 2 * a[i] - 1; }
for (let r = 0; r < 3; r++) for (const [name, a, o, f] of [['heap', hx, hy, loop], ['plain', px, py, loop], ['heap2', hx, hy, loop2], ['plain2', px, py, loop2]]) {
  for (let i = 0; i < 5; i++) f(a, o);
  const c0 = cpu(); for (let i = 0; i < 50; i++) f(a, o); console.log(name, ((cpu() - c0) / 50 * 1000).toFixed(0), 'µs', (((cpu() - c0) / 50 * 1e6) / o.length).toFixed(2), 'ns/elem');
}
console.log(Object.prototype.toString.call(hx.buffer), hx.buffer.constructor.name);
