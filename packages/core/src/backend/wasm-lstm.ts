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
 * One step of the cell over the wasm heap: each element reads its four gate
 * pre-activations and writes h', c' and the activations once, where the composite cell
 * runs nine kernels forward (and about twenty backward), each a pass over memory. The
 * nonlinearities go through the backend's vectorised sigmoid (XNNPACK), tanh as
 * 2σ(2x) − 1 as s2s's wasm `Tanh` computes it: V8's Math.exp and Math.tanh cost 10–50×
 * more per element.
 */
function lstmCell({ inputs, backend }: WasmKernelArgs): tf.TensorInfo[] {
  const { z, u, c, h, mask } = inputs as Record<string, tf.TensorInfo>;
  const [b, hidden] = c!.shape as [number, number];
  const sigmoid = sigmoidOf(backend);
  const width = 4 * hidden;
  // Pass 1: pre = z + u, the candidate's part doubled for tanh(g) = 2σ(2g) − 1.
  const pre = backend.makeOutput([b, width], 'float32');
  {
    const zs = backend.typedArrayFromHeap(z!);
    const us = u ? backend.typedArrayFromHeap(u) : undefined;
    const ps = backend.typedArrayFromHeap(pre);
    const g0 = 3 * hidden;
    for (let r = 0; r < b; r++) {
      const row = r * width;
      if (us) for (let k = row; k < row + width; k++) ps[k] = zs[k]! + us[k]!;
      else ps.set(zs.subarray(row, row + width), row);
      for (let k = row + g0; k < row + width; k++) ps[k] = 2 * ps[k]!;
    }
  }
  const gates = sigmoid(pre);
  backend.disposeData(pre.dataId);
  // Pass 2: c' and the gate activations; 2c' for its tanh.
  const hOut = backend.makeOutput([b, hidden], 'float32');
  const cOut = backend.makeOutput([b, hidden], 'float32');
  const actOut = backend.makeOutput([b, 5 * hidden], 'float32');
  const twice = backend.makeOutput([b, hidden], 'float32');
  {
    // Views are taken after every allocation, which may grow (move) the heap.
    const gs = backend.typedArrayFromHeap(gates);
    const cs = backend.typedArrayFromHeap(c!);
    const act = backend.typedArrayFromHeap(actOut);
    const cn = backend.typedArrayFromHeap(cOut);
    const tw = backend.typedArrayFromHeap(twice);
    for (let r = 0; r < b; r++) {
      const gr = r * width;
      const ar = r * 5 * hidden;
      const sr = r * hidden;
      for (let j = 0; j < hidden; j++) {
        const i = gs[gr + j]!;
        const f = gs[gr + hidden + j]!;
        const o = gs[gr + 2 * hidden + j]!;
        const g = 2 * gs[gr + 3 * hidden + j]! - 1;
        const cNext = f * cs[sr + j]! + i * g;
        act[ar + j] = i;
        act[ar + hidden + j] = f;
        act[ar + 2 * hidden + j] = o;
        act[ar + 3 * hidden + j] = g;
        cn[sr + j] = cNext;
        tw[sr + j] = 2 * cNext;
      }
    }
  }
  backend.disposeData(gates.dataId);
  const tanhHalf = sigmoid(twice);
  backend.disposeData(twice.dataId);
  // Pass 3: tanh(c'), h', and the carry over padding.
  {
    const ts = backend.typedArrayFromHeap(tanhHalf);
    const act = backend.typedArrayFromHeap(actOut);
    const ho = backend.typedArrayFromHeap(hOut);
    const co = backend.typedArrayFromHeap(cOut);
    const cs = backend.typedArrayFromHeap(c!);
    const hs = h ? backend.typedArrayFromHeap(h) : undefined;
    const ms = mask ? backend.typedArrayFromHeap(mask) : undefined;
    for (let r = 0; r < b; r++) {
      const ar = r * 5 * hidden;
      const sr = r * hidden;
      const m = ms ? ms[r]! : 1;
      for (let j = 0; j < hidden; j++) {
        const s = sr + j;
        const tc = 2 * ts[s]! - 1;
        act[ar + 4 * hidden + j] = tc;
        const hNext = act[ar + 2 * hidden + j]! * tc;
        if (hs) {
          const hPrev = hs[s]!;
          const cPrev = cs[s]!;
          ho[s] = hPrev + m * (hNext - hPrev);
          co[s] = cPrev + m * (co[s]! - cPrev);
        } else ho[s] = hNext;
      }
    }
  }
  backend.disposeData(tanhHalf.dataId);
  return [hOut, cOut, actOut];
}

/** The wasm backend's own (XNNPACK) sigmoid as a function of one tensor. */
function sigmoidOf(backend: WasmKernelArgs['backend']): (x: tf.TensorInfo) => tf.TensorInfo {
  const kernel = tf.getKernel(tf.Sigmoid, 'wasm');
  if (!kernel) throw new Error('the wasm backend has no Sigmoid kernel');
  return (x) => kernel.kernelFunc({ inputs: { x }, backend, attrs: {} } as never) as tf.TensorInfo;
}

/**
 * The cell's gradient from the saved activations, one pass: dz `[B, 4H]`, dc `[B, H]`, and
 * with a mask dh `[B, H]` (padding passes dh' back unchanged, and dc' beside the cell's).
 */
function lstmCellGrad({ inputs, backend }: WasmKernelArgs): tf.TensorInfo[] {
  const { dh, dc, act, c, mask } = inputs as Record<string, tf.TensorInfo>;
  const [b, hidden] = c!.shape as [number, number];
  const dzOut = backend.makeOutput([b, 4 * hidden], 'float32');
  const dcOut = backend.makeOutput([b, hidden], 'float32');
  const dhOut = mask ? backend.makeOutput([b, hidden], 'float32') : undefined;
  const dhs = backend.typedArrayFromHeap(dh!);
  const dcs = backend.typedArrayFromHeap(dc!);
  const as = backend.typedArrayFromHeap(act!);
  const cs = backend.typedArrayFromHeap(c!);
  const ms = mask ? backend.typedArrayFromHeap(mask) : undefined;
  const dz = backend.typedArrayFromHeap(dzOut);
  const dcPrev = backend.typedArrayFromHeap(dcOut);
  const dhPrev = dhOut ? backend.typedArrayFromHeap(dhOut) : undefined;
  for (let r = 0; r < b; r++) {
    const zr = r * 4 * hidden;
    const ar = r * 5 * hidden;
    const m = ms ? ms[r]! : 1;
    for (let j = 0; j < hidden; j++) {
      const s = r * hidden + j;
      const a = ar + j;
      const i = as[a]!;
      const f = as[a + hidden]!;
      const o = as[a + 2 * hidden]!;
      const g = as[a + 3 * hidden]!;
      const tc = as[a + 4 * hidden]!;
      // What reaches the unmasked cell's outputs.
      const dhNext = m * dhs[s]!;
      const dcNext = m * dcs[s]! + dhNext * o * (1 - tc * tc);
      const k = zr + j;
      dz[k] = dcNext * g * i * (1 - i);
      dz[k + hidden] = dcNext * cs[s]! * f * (1 - f);
      dz[k + 2 * hidden] = dhNext * tc * o * (1 - o);
      dz[k + 3 * hidden] = dcNext * i * (1 - g * g);
      dcPrev[s] = dcNext * f + (1 - m) * dcs[s]!;
      if (dhPrev) dhPrev[s] = (1 - m) * dhs[s]!;
    }
  }
  return dhOut ? [dzOut, dcOut, dhOut] : [dzOut, dcOut];
}

const kernels: Record<string, (args: WasmKernelArgs) => tf.TensorInfo[]> = {
  [LSTM_CELL]: lstmCell,
  [LSTM_CELL_MASKED]: lstmCell,
  [LSTM_CELL_GRAD]: lstmCellGrad,
};
