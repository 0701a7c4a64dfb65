import * as tf from '@tensorflow/tfjs';
import { LSTM_CELL, LSTM_CELL_GRAD, LSTM_CELL_MASKED } from '../ops/lstm.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * Registers (or, with `false`, removes) the fused LSTM-cell kernels on wasm, which
 * `lstmGates` uses whenever they are registered for the current backend. `useBackend`
 * installs them unless the environment sets `S2S_FUSED_LSTM=0`; turning them off gives
 * the composite cell, for comparisons. Idempotent. Returns whether they were on before.
 */
export function setFusedLstm(on: boolean): boolean {
  const was = tf.getKernel(LSTM_CELL, 'wasm') !== undefined;
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    const present = tf.getKernel(kernelName, 'wasm') !== undefined;
    if (on && !present) {
      tf.registerKernel({
        kernelName,
        backendName: 'wasm',
        kernelFunc: kernelFunc as unknown as tf.KernelFunc,
      });
    } else if (!on && present) tf.unregisterKernel(kernelName, 'wasm');
  }
  return was;
}

/**
 * One step of the cell over the wasm heap, where the composite cell runs nine kernels
 * forward (and about twenty backward), each a pass over memory and a dispatch. The
 * nonlinearities go through the backend's vectorised sigmoid (XNNPACK), tanh as
 * 2σ(2x) − 1 as s2s's wasm `Tanh` computes it (V8's Math.exp and Math.tanh cost 10–50×
 * more per element), and the sums and products are JS loops over the heap, which cost
 * about 2 ns an element here: so the loops touch each element as few times as they can,
 * and the sigmoids are kept for the gradient as they are, not copied. Every step is
 * rounded to float32 (`Math.fround`) where the composite cell's kernels round, gradients
 * summed in the tape's order, so both kernels give the composite cell's values and
 * gradients bit for bit and a training run takes the same path with either.
 */
function lstmCell({ inputs, backend }: WasmKernelArgs): tf.TensorInfo[] {
  const { z, u, c, h, mask } = inputs as Record<string, tf.TensorInfo>;
  const [b, hidden] = c!.shape as [number, number];
  const sigmoid = unary(tf.Sigmoid, backend);
  const add = binary(tf.Add, backend);
  const width = 4 * hidden;
  // Pass 1: pre = z + u (the backend's vectorised add), the candidate's quarter doubled
  // for tanh(g) = 2σ(2g) − 1.
  const pre = u ? add(z!, u) : backend.makeOutput([b, width], 'float32');
  {
    const ps = backend.typedArrayFromHeap(pre);
    if (!u) ps.set(backend.typedArrayFromHeap(z!));
    for (let r = 0; r < b; r++) {
      const row = r * width;
      for (let k = row + 3 * hidden; k < row + width; k++) ps[k] = 2 * ps[k]!;
    }
  }
  const gates = sigmoid(pre);
  backend.disposeData(pre.dataId);
  // Pass 2: c' (unmasked) and 2c' for its tanh.
  const hOut = backend.makeOutput([b, hidden], 'float32');
  const cOut = backend.makeOutput([b, hidden], 'float32');
  const twice = backend.makeOutput([b, hidden], 'float32');
  {
    // Views are taken after every allocation, which may grow (move) the heap.
    const gs = backend.typedArrayFromHeap(gates);
    const cs = backend.typedArrayFromHeap(c!);
    const cn = backend.typedArrayFromHeap(cOut);
    const tw = backend.typedArrayFromHeap(twice);
    for (let r = 0; r < b; r++) {
      const gr = r * width;
      const sr = r * hidden;
      for (let j = 0; j < hidden; j++) {
        const i = gs[gr + j]!;
        const f = gs[gr + hidden + j]!;
        const g = Math.fround(2 * gs[gr + 3 * hidden + j]! - 1);
        const cNext = Math.fround(Math.fround(f * cs[sr + j]!) + Math.fround(i * g));
        cn[sr + j] = cNext;
        tw[sr + j] = 2 * cNext;
      }
    }
  }
  const tanhHalf = sigmoid(twice);
  backend.disposeData(twice.dataId);
  // Pass 3: h' = o ⊙ tanh(c'), and the carry over padding.
  {
    const gs = backend.typedArrayFromHeap(gates);
    const ts = backend.typedArrayFromHeap(tanhHalf);
    const ho = backend.typedArrayFromHeap(hOut);
    const co = backend.typedArrayFromHeap(cOut);
    const cs = backend.typedArrayFromHeap(c!);
    const hs = h ? backend.typedArrayFromHeap(h) : undefined;
    const ms = mask ? backend.typedArrayFromHeap(mask) : undefined;
    for (let r = 0; r < b; r++) {
      const gr = r * width + 2 * hidden;
      const sr = r * hidden;
      const m = ms ? ms[r]! : 1;
      for (let j = 0; j < hidden; j++) {
        const s = sr + j;
        const hNext = Math.fround(gs[gr + j]! * Math.fround(2 * ts[s]! - 1));
        if (hs) {
          const hPrev = hs[s]!;
          const cPrev = cs[s]!;
          ho[s] = hPrev + Math.fround(m * Math.fround(hNext - hPrev));
          co[s] = cPrev + Math.fround(m * Math.fround(co[s]! - cPrev));
        } else ho[s] = hNext;
      }
    }
  }
  // The gradient reads the sigmoids themselves: no copy of the activations is made.
  return [hOut, cOut, gates, tanhHalf];
}

/** The wasm backend's own (XNNPACK) kernel of one input, as a function of it. */
function unary(name: string, backend: WasmKernelArgs['backend']) {
  const kernel = stockKernel(name);
  return (x: tf.TensorInfo) =>
    kernel.kernelFunc({ inputs: { x }, backend, attrs: {} } as never) as tf.TensorInfo;
}

/** The wasm backend's own kernel of two inputs `a`, `b`. */
function binary(name: string, backend: WasmKernelArgs['backend']) {
  const kernel = stockKernel(name);
  return (a: tf.TensorInfo, b: tf.TensorInfo) =>
    kernel.kernelFunc({ inputs: { a, b }, backend, attrs: {} } as never) as tf.TensorInfo;
}

function stockKernel(name: string): tf.KernelConfig {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel;
}

/**
 * The cell's gradient from the saved sigmoids, one pass: dz `[B, 4H]`, dc `[B, H]`, and
 * with a mask dh `[B, H]` (padding passes dh' back unchanged, and dc' beside the cell's).
 */
function lstmCellGrad({ inputs, backend }: WasmKernelArgs): tf.TensorInfo[] {
  const { dh, dc, gates, tanhHalf, c, mask } = inputs as Record<string, tf.TensorInfo>;
  const [b, hidden] = c!.shape as [number, number];
  const dzOut = backend.makeOutput([b, 4 * hidden], 'float32');
  const dcOut = backend.makeOutput([b, hidden], 'float32');
  const dhOut = mask ? backend.makeOutput([b, hidden], 'float32') : undefined;
  const dhs = backend.typedArrayFromHeap(dh!);
  const dcs = backend.typedArrayFromHeap(dc!);
  const gs = backend.typedArrayFromHeap(gates!);
  const ts = backend.typedArrayFromHeap(tanhHalf!);
  const cs = backend.typedArrayFromHeap(c!);
  const ms = mask ? backend.typedArrayFromHeap(mask) : undefined;
  const dz = backend.typedArrayFromHeap(dzOut);
  const dcPrev = backend.typedArrayFromHeap(dcOut);
  const dhPrev = dhOut ? backend.typedArrayFromHeap(dhOut) : undefined;
  for (let r = 0; r < b; r++) {
    const zr = r * 4 * hidden;
    const m = ms ? ms[r]! : 1;
    for (let j = 0; j < hidden; j++) {
      const s = r * hidden + j;
      const k = zr + j;
      const i = gs[k]!;
      const f = gs[k + hidden]!;
      const o = gs[k + 2 * hidden]!;
      const g = Math.fround(2 * gs[k + 3 * hidden]! - 1);
      const tc = Math.fround(2 * ts[s]! - 1);
      const dhOuter = dhs[s]!;
      const dcOuter = dcs[s]!;
      // What reaches the unmasked cell's h' and c' through the carry, and what passes by.
      const dhNext = ms ? Math.fround(dhOuter * m) : dhOuter;
      const dcCarried = ms ? Math.fround(dcOuter * m) : dcOuter;
      const dcNext = Math.fround(
        dcCarried + Math.fround(Math.fround(1 - Math.fround(tc * tc)) * Math.fround(dhNext * o)),
      );
      dz[k] = sigmoidGrad(i, Math.fround(dcNext * g));
      dz[k + hidden] = sigmoidGrad(f, Math.fround(dcNext * cs[s]!));
      dz[k + 2 * hidden] = sigmoidGrad(o, Math.fround(dhNext * tc));
      dz[k + 3 * hidden] = Math.fround(
        Math.fround(1 - Math.fround(g * g)) * Math.fround(dcNext * i),
      );
      const dcThroughCell = Math.fround(dcNext * f);
      dcPrev[s] = ms
        ? Math.fround(Math.fround(dcOuter - dcCarried) + dcThroughCell)
        : dcThroughCell;
      if (dhPrev) dhPrev[s] = Math.fround(dhOuter - dhNext);
    }
  }
  return dhOut ? [dzOut, dcOut, dhOut] : [dzOut, dcOut];
}

/** dy·σ'(x) from y = σ(x), rounded as tfjs's Sigmoid gradient rounds it. */
function sigmoidGrad(y: number, dy: number): number {
  return Math.fround(dy * Math.fround(y * Math.fround(1 - y)));
}

const kernels: Record<string, (args: WasmKernelArgs) => tf.TensorInfo[]> = {
  [LSTM_CELL]: lstmCell,
  [LSTM_CELL_MASKED]: lstmCell,
  [LSTM_CELL_GRAD]: lstmCellGrad,
};
