import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { BackendChoice } from '../backend/backend-plan.js';
import { useBackend } from '../backend/use-backend.js';
import type { Module } from '../contracts/module.js';
import { Rng } from '../module/seed.js';

export { lengthMask } from './memory.js';

/** Selects a backend for a test file; call in `beforeAll`. */
export async function pinBackend(choice: Exclude<BackendChoice, 'auto'>): Promise<void> {
  await useBackend(choice);
}

/**
 * Runs `fn` and asserts it leaves no tensor behind, counting what it returns as owned by
 * the caller only if `returns` says so.
 */
export async function expectNoLeaks(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
}

/** Largest absolute difference between two tensors of one shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape, 'shapes differ').toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a.toFloat(), b.toFloat()))).dataSync()[0]!);
}

/** Asserts two tensors are equal within `tolerance` (0 = exactly). */
export function expectClose(a: tf.Tensor, b: tf.Tensor, tolerance = 1e-5, what = 'values'): void {
  const diff = maxAbsDiff(a, b);
  expect(diff, `${what} differ by ${diff}`).toBeLessThanOrEqual(tolerance);
}

/**
 * Random right-padded lengths in [1, maxLength], the first one always `maxLength` so the
 * batch is as wide as asked.
 */
export function randomLengths(batch: number, maxLength: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: batch }, (_, i) => (i === 0 ? maxLength : 1 + rng.int(maxLength)));
}

/** Random source of `[B, S]` ids in [0, vocabSize), or `[B, S, F]` features. */
export function randomSource(
  shape: { vocabSize?: number; features?: number },
  batch: number,
  width: number,
  seed: number,
): tf.Tensor {
  if (shape.vocabSize !== undefined) {
    return tf.randomUniform([batch, width], 0, shape.vocabSize, 'int32', seed);
  }
  return tf.randomNormal([batch, width, shape.features!], 0, 1, 'float32', seed);
}

/**
 * Asserts every parameter of `module` gets a non-zero gradient from `loss`: a parameter
 * the loss never reaches is dead weight, usually a wiring bug.
 */
export function expectGradientsReachEveryParameter(module: Module, loss: () => tf.Scalar): void {
  const params = module.parameters();
  if (params.size === 0) return; // e.g. dot-product attention: nothing to reach
  const names = new Map([...params].map(([path, v]) => [v.name, path]));
  const grads: Record<string, number> = {};
  tf.tidy(() => {
    const { grads: byName } = tf.variableGrads(loss, [...params.values()]);
    for (const [name, g] of Object.entries(byName))
      grads[names.get(name)!] = tf.norm(g).dataSync()[0]!;
  });
  for (const path of params.keys()) {
    expect(grads[path] ?? 0, `gradient of '${path}'`).toBeGreaterThan(0);
  }
}

/**
 * Compares analytic gradients with central finite differences at a few coordinates of each
 * parameter: |numeric − analytic| must be within `absolute + relative·max(|numeric|, |analytic|)`.
 * With float32 and ε = 1e-2 the numeric estimate is good to about 1e-4, so the defaults
 * (1e-3 absolute, 1e-2 relative) catch any wrong gradient formula. Run at tiny sizes.
 */
export function expectGradientsMatchFiniteDifferences(
  module: Module,
  loss: () => tf.Scalar,
  options: {
    epsilon?: number;
    absolute?: number;
    relative?: number;
    samplesPerParameter?: number;
    seed?: number;
  } = {},
): void {
  const epsilon = options.epsilon ?? 1e-2;
  const absolute = options.absolute ?? 1e-3;
  const relative = options.relative ?? 1e-2;
  const samples = options.samplesPerParameter ?? 3;
  const rng = new Rng(options.seed ?? 1);
  const params = module.parameters();
  const analytic = new Map<string, Float32Array>();
  tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, [...params.values()]);
    for (const [path, v] of params) analytic.set(path, grads[v.name]!.dataSync() as Float32Array);
  });
  const evaluate = () => tf.tidy(() => loss().dataSync()[0]!);
  for (const [path, variable] of params) {
    const values = variable.dataSync().slice() as Float32Array;
    for (let k = 0; k < Math.min(samples, values.length); k++) {
      const i = rng.int(values.length);
      const probe = (delta: number) => {
        const moved = values.slice();
        moved[i] = values[i]! + delta;
        tf.tidy(() => variable.assign(tf.tensor(moved, variable.shape)));
        return evaluate();
      };
      const numeric = (probe(epsilon) - probe(-epsilon)) / (2 * epsilon);
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
      const exact = analytic.get(path)![i]!;
      const allowed = absolute + relative * Math.max(Math.abs(numeric), Math.abs(exact));
      expect(
        Math.abs(numeric - exact),
        `d loss / d ${path}[${i}]: analytic ${exact}, numeric ${numeric}`,
      ).toBeLessThanOrEqual(allowed);
    }
  }
}

/**
 * A model recipe (or any JSON config) with every option named in `sizes` set to its value
 * at any depth and every other choice left alone, so a test can train a task's own recipe
 * at toy sizes and follow it when the recipe changes: `atToySize(recipe, { hiddenSize: 16 })`.
 */
export function atToySize<T>(recipe: T, sizes: Readonly<Record<string, number>>): T {
  if (Array.isArray(recipe)) return recipe.map((c) => atToySize(c, sizes)) as T;
  if (typeof recipe !== 'object' || recipe === null) return recipe;
  return Object.fromEntries(
    Object.entries(recipe).map(([k, v]) => [k, k in sizes ? sizes[k] : atToySize(v, sizes)]),
  ) as T;
}
