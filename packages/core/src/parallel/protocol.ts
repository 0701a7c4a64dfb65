import * as tf from '@tensorflow/tfjs';
import type { SourceInputs } from '../contracts/encoder.js';
import type { SearchOptions } from '../contracts/search.js';
import { ShapeError } from '../errors/errors.js';
import type { Batch } from '../model/batch.js';
import type { ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import type { ComponentConfig } from '../registry/registry.js';
import type { SampledFeed } from '../training/scheduled-sampling.js';

/**
 * The messages between a {@link ReplicaPool} and its worker threads. Tensors cross as
 * host arrays; the model's weights cross as one flat float32 array in parameter order.
 */

/** A tensor's values on the host, as it crosses between threads. */
export interface HostTensor {
  readonly shape: number[];
  readonly dtype: tf.DataType;
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** What a worker needs to build its replica: `workerData`. */
export interface ReplicaSetup {
  /** Module specifiers or file URLs the worker imports, in order, to register plugins. */
  readonly plugins: readonly string[];
  /** The backend the main thread runs (`tf.getBackend()`). */
  readonly backend: string;
  readonly config: ModelConfig;
  /** Parameter names and sizes in the main thread's order, to check the replica against. */
  readonly parameters: readonly { readonly name: string; readonly size: number }[];
}

/** How one shard's loss is computed: the same function in every thread. */
export interface ShardLoss {
  readonly labelSmoothing: number;
  /** Seeds this shard's dropout and scheduled-sampling draws. */
  readonly seed: number;
  readonly sampling?: { readonly probability: number; readonly feed: SampledFeed };
}

/** A request from the pool to a worker. */
export type Request =
  | {
      readonly kind: 'gradients';
      readonly id: number;
      readonly weights: Float32Array;
      readonly batch: HostBatch;
      readonly loss: ShardLoss;
    }
  | {
      readonly kind: 'generate';
      readonly id: number;
      readonly weights?: Float32Array;
      readonly source: HostTensor;
      readonly mask: HostTensor;
      readonly inputs?: Record<string, HostTensor>;
      readonly search: ComponentConfig;
      readonly options: SearchOptions;
    }
  | { readonly kind: 'weights'; readonly id: number; readonly weights: Float32Array }
  | { readonly kind: 'memory'; readonly id: number };

/** A worker's answer to the request with the same id. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** What a `gradients` request returns: mean loss per token and d(mean)/dθ, flat. */
export interface ShardGradients {
  readonly loss: number;
  readonly gradients: Float32Array;
}

/** A worker thread's memory, as `memory` returns it. */
export interface WorkerMemory {
  /** Live tensors in the worker's engine. */
  readonly numTensors: number;
  /** Bytes those tensors hold. */
  readonly tensorBytes: number;
  /** The worker's JavaScript heap in use (V8, this isolate only). */
  readonly heapBytes: number;
  /** The worker's WebAssembly memory (wasm backend), 0 on others. */
  readonly wasmBytes: number;
}

/** A {@link Batch} on the host. */
export interface HostBatch {
  readonly source: HostTensor;
  readonly sourceMask: HostTensor;
  readonly targetIn: HostTensor;
  readonly targetOut: HostTensor;
  readonly targetMask: HostTensor;
  readonly inputs?: Record<string, HostTensor>;
}

/** Copies a tensor to the host. */
export function toHost(t: tf.Tensor): HostTensor {
  return {
    shape: [...t.shape],
    dtype: t.dtype,
    // A copy: some backends hand out their own storage, and these buffers get transferred.
    values: (t.dataSync() as HostTensor['values']).slice(),
  };
}

/** A tensor from host values; the caller owns it. */
export function fromHost(h: HostTensor): tf.Tensor {
  return tf.tensor(h.values, h.shape, h.dtype);
}

/** Rows `[start, start + size)` of a batch, on the host. */
export function batchRows(batch: Batch, start: number, size: number): HostBatch {
  const rows = (t: tf.Tensor) => hostRows(t, start, size);
  return {
    source: rows(batch.source),
    sourceMask: rows(batch.sourceMask),
    targetIn: rows(batch.targetIn),
    targetOut: rows(batch.targetOut),
    targetMask: rows(batch.targetMask),
    ...(batch.inputs ? { inputs: mapRecord(batch.inputs, rows) } : {}),
  };
}

/** Rows `[start, start + size)` of a tensor, on the host. */
export function hostRows(t: tf.Tensor, start: number, size: number): HostTensor {
  const rows = tf.slice(t, start, size);
  try {
    return toHost(rows);
  } finally {
    rows.dispose();
  }
}

/** A batch of tensors from a host batch; the caller owns them (see `disposeBatch`). */
export function batchFromHost(h: HostBatch): Batch {
  return {
    source: fromHost(h.source),
    sourceMask: fromHost(h.sourceMask) as tf.Tensor2D,
    targetIn: fromHost(h.targetIn) as tf.Tensor2D,
    targetOut: fromHost(h.targetOut) as tf.Tensor2D,
    targetMask: fromHost(h.targetMask) as tf.Tensor2D,
    ...(h.inputs ? { inputs: mapRecord(h.inputs, fromHost) } : {}),
  };
}

/** Named source inputs from the host; the caller owns them. */
export function inputsFromHost(
  h: Record<string, HostTensor> | undefined,
): SourceInputs | undefined {
  return h ? mapRecord(h, fromHost) : undefined;
}

/** Real target tokens of a host batch (the mask's sum). */
export function tokensOf(batch: HostBatch): number {
  let n = 0;
  for (const v of batch.targetMask.values) n += v;
  return n;
}

/** Every parameter of `model` in one flat array, in `parameters()` order. */
export function flattenWeights(model: Seq2Seq): Float32Array {
  const params = [...model.parameters().values()];
  const flat = new Float32Array(params.reduce((n, p) => n + p.size, 0));
  let at = 0;
  for (const p of params) {
    flat.set(p.dataSync() as Float32Array, at);
    at += p.size;
  }
  return flat;
}

/** Assigns a flat array written by {@link flattenWeights} to `model`'s parameters. */
export function assignWeights(model: Seq2Seq, flat: Float32Array): void {
  const params = [...model.parameters().values()];
  const size = params.reduce((n, p) => n + p.size, 0);
  if (flat.length !== size) {
    throw new ShapeError('replica weights', `${size} values`, `${flat.length}`);
  }
  let at = 0;
  for (const p of params) {
    tf.tidy(() => p.assign(tf.tensor(flat.subarray(at, at + p.size), p.shape, p.dtype)));
    at += p.size;
  }
}

/** The transferable buffers of a host tensor record, to move instead of copy. */
export function buffersOf(...items: (HostTensor | HostBatch | undefined)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (h: HostTensor) => out.push(h.values.buffer as ArrayBuffer);
  for (const item of items) {
    if (!item) continue;
    if ('values' in item) add(item as HostTensor);
    else {
      const b = item as HostBatch;
      for (const h of [b.source, b.sourceMask, b.targetIn, b.targetOut, b.targetMask]) add(h);
      for (const h of Object.values(b.inputs ?? {})) add(h);
    }
  }
  return out;
}

function mapRecord<A, B>(record: Readonly<Record<string, A>>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
