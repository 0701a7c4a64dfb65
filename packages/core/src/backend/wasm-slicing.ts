import * as tf from '@tensorflow/tfjs';
import type { WasmBackend, WasmKernelArgs } from './wasm-backend.js';

/**
 * Slicing kernels for wasm that read their input in place. The stock wasm `Slice` copies
 * the *whole* input out of the heap (`readSync`) before taking its part, and `Unpack` and
 * `SplitV` call it once per output, so unstacking a `[B, T, 4H]` projection into T steps
 * copied T full tensors: the biggest single cost of a training step (measured with
 * `--cpu-prof`). These versions copy only the rows they return. `Identity` shares its
 * input's buffer, as the cpu backend's does, instead of copying it.
 */
export const wasmSlicingKernels: Record<
  string,
  (args: WasmKernelArgs) => tf.TensorInfo | tf.TensorInfo[]
> = {
  [tf.Slice]: ({ inputs, backend, attrs }) => {
    const x = inputs.x!;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as never,
      attrs.begin as number[],
      attrs.size as number[],
    );
    return slices(backend, x, [{ begin, size }])[0]!;
  },
  [tf.Unpack]: ({ inputs, backend, attrs }) => {
    const x = inputs.value!;
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const size = x.shape.map((s, i) => (i === axis ? 1 : s));
    const parts = Array.from({ length: x.shape[axis]! }, (_, i) => ({
      begin: x.shape.map((_, k) => (k === axis ? i : 0)),
      size,
    }));
    const outShape = x.shape.filter((_, i) => i !== axis);
    return slices(backend, x, parts).map((t) => ({ ...t, shape: outShape }));
  },
  [tf.SplitV]: ({ inputs, backend, attrs }) => {
    const x = inputs.x!;
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(
      x as never,
      attrs.numOrSizeSplits as number[],
      axis,
    );
    let offset = 0;
    const parts = sizes.map((s) => {
      const part = {
        begin: x.shape.map((_, k) => (k === axis ? offset : 0)),
        size: x.shape.map((d, k) => (k === axis ? s : d)),
      };
      offset += s;
      return part;
    });
    return slices(backend, x, parts);
  },
  [tf.Identity]: ({ inputs, backend }) => {
    const x = inputs.x!;
    if (x.dtype === 'string')
      throw new Error('s2s wasm Identity: string tensors are not supported');
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

interface Part {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/** Allocates every output first (allocation may grow the heap), then copies through views. */
function slices(backend: WasmBackend, x: tf.TensorInfo, parts: readonly Part[]): tf.TensorInfo[] {
  if (x.dtype === 'string') throw new Error('s2s wasm slicing: string tensors are not supported');
  const outs = parts.map((p) => backend.makeOutput([...p.size], x.dtype));
  const source = backend.typedArrayFromHeap(x);
  const strides = tf.util.computeStrides(x.shape);
  parts.forEach((part, i) => copyPart(source, strides, part, backend.typedArrayFromHeap(outs[i]!)));
  return outs;
}

/** Copies the box `part` of a row-major array with `strides` into `out`, one innermost run at a time. */
function copyPart(
  source: tf.TypedArray,
  strides: readonly number[],
  part: Part,
  out: tf.TypedArray,
): void {
  const rank = part.size.length;
  if (out.length === 0) return;
  if (rank === 0) {
    out[0] = source[0]!;
    return;
  }
  const run = part.size[rank - 1]!;
  const rows = out.length / run;
  const index = new Array(rank - 1).fill(0);
  for (let row = 0; row < rows; row++) {
    let offset = part.begin[rank - 1]!;
    for (let k = 0; k < rank - 1; k++) offset += (part.begin[k]! + index[k]!) * strides[k]!;
    out.set(source.subarray(offset, offset + run), row * run);
    for (let k = rank - 2; k >= 0; k--) {
      if (++index[k] < part.size[k]!) break;
      index[k] = 0;
    }
  }
}
