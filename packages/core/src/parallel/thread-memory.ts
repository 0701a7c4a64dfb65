import * as tf from '@tensorflow/tfjs';
import type { WorkerMemory } from './protocol.js';

/** This thread's memory: live tensors, their bytes, the JS heap and the wasm heap. */
export function threadMemory(): WorkerMemory {
  const m = tf.memory();
  const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return {
    numTensors: m.numTensors,
    tensorBytes: m.numBytes,
    heapBytes: process.memoryUsage().heapUsed,
    wasmBytes: wasm?.HEAPU8?.buffer.byteLength ?? 0,
  };
}
