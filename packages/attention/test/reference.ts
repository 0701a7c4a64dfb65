/**
 * Plain-JS attention arithmetic for the hand-worked tests: no tensors, no shared code with
 * the plugins, so a test compares the implementation against an independent reference.
 */
import { type Attention, disposeTree, exportWeights, type Module } from '@s2s/core';
import { randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

export type Vector = number[];
export type Matrix = number[][];

/** Every parameter of `module` as nested arrays, by path. */
export function weightsOf(module: Module): Record<string, Matrix> {
  return Object.fromEntries(
    [...exportWeights(module)].map(([k, v]) => {
      const value = v.arraySync() as Matrix | Vector;
      v.dispose();
      return [k, Array.isArray(value[0]) ? (value as Matrix) : (value as Vector).map((x) => [x])];
    }),
  );
}

export const dot = (x: Vector, y: Vector): number => x.reduce((s, xi, i) => s + xi * y[i]!, 0);

/** x · M for a row vector x `[n]` and M `[n, k]`. */
export const vecMat = (x: Vector, m: Matrix): Vector =>
  m[0]!.map((_, col) => x.reduce((s, xi, i) => s + xi * m[i]![col]!, 0));

export const add = (...xs: Vector[]): Vector =>
  xs[0]!.map((_, i) => xs.reduce((s, x) => s + x[i]!, 0));

export const softmax = (e: Vector): Vector => {
  const max = Math.max(...e);
  const z = e.reduce((s, x) => s + Math.exp(x - max), 0);
  return e.map((x) => Math.exp(x - max) / z);
};

/** Σ_j a_j h_j over the first `a.length` states. */
export const weightedSum = (a: Vector, h: Matrix): Vector =>
  h[0]!.map((_, k) => a.reduce((s, aj, j) => s + aj * h[j]![k]!, 0));

/**
 * Asserts one row of a result: weights equal `expected` on the real positions and are
 * exactly 0 on the padded ones, and the context equals `expectedContext`.
 */
export function expectRow(
  result: { weights: tf.Tensor; context: tf.Tensor },
  row: number,
  expected: Vector,
  expectedContext: Vector,
  digits = 5,
): void {
  expectPositions(result.weights, row, expected, digits);
  const context = (result.context.arraySync() as Matrix)[row]!;
  expect(context.length).toBe(expectedContext.length);
  expectedContext.forEach((c, k) => expect(context[k]).toBeCloseTo(c, digits));
}

/**
 * Asserts row `row` of a `[B, S]` tensor equals `expected` on the first positions and is
 * exactly 0 on the rest (the padding).
 */
export function expectPositions(
  values: tf.Tensor,
  row: number,
  expected: Vector,
  digits = 5,
): void {
  const got = (values.arraySync() as Matrix)[row]!;
  expected.forEach((a, j) => expect(got[j]).toBeCloseTo(a, digits));
  for (let j = expected.length; j < got.length; j++) expect(got[j]).toBe(0);
}

/** What a hand-worked row sees: its real states, its query and the module's weights. */
export interface RowInput {
  /** The row's real states h_1 … h_len. */
  readonly h: Matrix;
  readonly q: Vector;
  readonly w: Record<string, Matrix>;
}

/**
 * Attends once with random queries over a random batch of lengths [3, 2] (padding full of
 * garbage) and checks each row against `expected`, worked out by hand from that row alone.
 */
export function expectAttendsLike(
  attention: Attention,
  sizes: { readonly memory: number; readonly query: number },
  expected: (row: RowInput) => { weights: Vector; context: Vector },
): void {
  const lengths = [3, 2];
  const memory = randomMemory({ lengths, size: sizes.memory, seed: 1 });
  const query = tf.randomNormal([2, sizes.query], 0, 1, 'float32', 2) as tf.Tensor2D;
  const w = weightsOf(attention);
  const [h, q] = [memory.states.arraySync(), query.arraySync()];
  const cache = attention.prepare(memory);
  const result = attention.attend(query, cache);
  lengths.forEach((len, b) => {
    const row = expected({ h: h[b]!.slice(0, len), q: q[b]!, w });
    expectRow(result, b, row.weights, row.context);
  });
  disposeTree([memory, query, cache, result]);
}
