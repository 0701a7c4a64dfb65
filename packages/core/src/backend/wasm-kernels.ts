import * as tf from '@tensorflow/tfjs';
import { makeWasmTanh } from './wasm-activations.js';
import type { WasmKernelArgs } from './wasm-backend.js';
import { setFusedLstm } from './wasm-lstm.js';
import { makeWasmOneHot } from './wasm-one-hot.js';
import { makeWasmSum } from './wasm-reductions.js';
import { wasmSlicingKernels } from './wasm-slicing.js';

/**
 * Kernels the TensorFlow.js wasm backend lacks or runs slowly, installed by
 * {@link useBackend}. All are registered for the backend name `wasm` only, so other
 * backends keep their own kernels. Idempotent.
 *
 * - `UnsortedSegmentSum`: missing on wasm, and needed by the gradient of `gather`, so
 *   without it no embedding can train.
 * - `BatchMatMul` / `_FusedMatMul` with a transposed operand: wasm's kernel runs them an
 *   order of magnitude slower than a plain product (measured 2.7 vs 30 GFLOP/s), and every
 *   matMul gradient uses them. The wrapped kernels transpose the operand explicitly (cheap,
 *   memory-bound) and then run the fast untransposed product.
 * - `Slice`, `Unpack`, `SplitV`: the stock ones copy their whole input out of the heap
 *   for every output; ours copy only the rows they return. `Identity` shares its input's
 *   buffer, as the cpu backend's does, instead of copying it.
 * - `Tanh`: the stock one is a scalar loop (24 ns per element); 2σ(2x) − 1 through
 *   XNNPACK's vectorised sigmoid is about 5× faster.
 * - `OneHot`: the stock one writes int32 values whatever the dtype.
 * - `Sum` over leading axes (bias gradients): one pass instead of a transpose and a sum.
 * - The fused LSTM cell (`lstmGates`) and its gradient, one kernel each per step instead
 *   of about 30 small ones; `S2S_FUSED_LSTM=0` in the environment leaves them out.
 */
export function installWasmKernels(): void {
  if (!tf.getKernel(UNSORTED_SEGMENT_SUM, 'wasm')) {
    tf.registerKernel({
      kernelName: UNSORTED_SEGMENT_SUM,
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
    });
  }
  for (const name of [tf.BatchMatMul, tf._FusedMatMul]) wrapTransposedOperands(name);
  for (const [name, kernelFunc] of Object.entries(wasmSlicingKernels)) {
    replaceKernel(name, kernelFunc);
  }
  const tanh = makeWasmTanh();
  if (tanh) replaceKernel(tf.Tanh, tanh);
  const oneHot = makeWasmOneHot();
  if (oneHot) replaceKernel(tf.OneHot, oneHot);
  const sum = makeWasmSum();
  if (sum) replaceKernel(tf.Sum, sum);
  const env = typeof process === 'undefined' ? undefined : process.env.S2S_FUSED_LSTM;
  if (env !== '0') setFusedLstm(true);
}

/** Swaps a wasm kernel's function for ours, once, keeping the rest of its config. */
function replaceKernel(kernelName: string, kernelFunc: (args: WasmKernelArgs) => unknown): void {
  const original = tf.getKernel(kernelName, 'wasm') as
    | (tf.KernelConfig & { [REPLACED]?: true })
    | undefined;
  if (original?.[REPLACED]) return;
  if (original) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...(original ?? { kernelName, backendName: 'wasm' }),
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    [REPLACED]: true,
  } as unknown as tf.KernelConfig);
}

const REPLACED = Symbol.for('@s2s/core/replaced-wasm-kernel');

const UNSORTED_SEGMENT_SUM = tf.UnsortedSegmentSum;
const WRAPPED = Symbol.for('@s2s/core/untransposed-matmul');

/**
 * out[segmentIds[i], …] += x[i, …]; ids outside [0, numSegments) are dropped, as on the
 * cpu backend. The scatter-add is O(|x|), which beats a one-hot matMul for any vocabulary.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const segmentIds = inputs.segmentIds!;
  const numSegments = attrs.numSegments as number;
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const inner = rows === 0 ? 0 : tf.util.sizeFromShape(x.shape) / rows;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  // Views into the heap are taken after makeOutput, whose allocation may grow the heap.
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const result = backend.typedArrayFromHeap(out);
  result.fill(0);
  for (let i = 0; i < rows; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) result[to + j]! += values[from + j]!;
  }
  return out;
}

function wrapTransposedOperands(kernelName: string): void {
  const original = tf.getKernel(kernelName, 'wasm') as
    | (tf.KernelConfig & { [WRAPPED]?: true })
    | undefined;
  if (!original || original[WRAPPED]) return;
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (!transpose) return;
  const kernelFunc = (args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args as never);
    const temps: tf.TensorInfo[] = [];
    const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      const out = transpose.kernelFunc({
        inputs: { x: t },
        backend,
        attrs: { perm },
      } as never) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    const a = attrs.transposeA ? swapLast(inputs.a!) : inputs.a!;
    const b = attrs.transposeB ? swapLast(inputs.b!) : inputs.b!;
    try {
      return original.kernelFunc({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      } as never);
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    [WRAPPED]: true,
  } as tf.KernelConfig);
}
