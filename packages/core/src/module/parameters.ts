import * as tf from '@tensorflow/tfjs';
import type { Module } from '../contracts/module.js';
import { ConfigError } from '../errors/errors.js';
import type { Initializer } from './initializers.js';
import { deriveSeed } from './seed.js';

/**
 * The parameters of one module and its children, named by path. Plugins own one and
 * delegate {@link Module.parameters} and {@link Module.dispose} to it; nothing requires
 * extending a base class.
 *
 * ```ts
 * class MyAttention implements Attention {
 *   private readonly params = new ParameterSet(seed);
 *   private readonly wq = this.params.add('query', [H, A], glorotUniform());
 *   parameters() { return this.params.map(); }
 *   dispose() { this.params.dispose(); }
 * }
 * ```
 */
export class ParameterSet {
  private readonly own = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();

  /** @param seed the seed of the owning module; each parameter derives its own from it. */
  constructor(readonly seed: number) {}

  /** Creates a trainable variable named `name`, initialised from its own derived seed. */
  add(name: string, shape: readonly number[], init: Initializer): tf.Variable {
    this.checkFree(name);
    try {
      checkAffordable(name, shape);
    } catch (error) {
      // The module under construction cannot be completed: free what it already holds.
      this.dispose();
      throw error;
    }
    const variable = tf.tidy(() => tf.variable(init(shape, deriveSeed(this.seed, name)), true));
    this.own.set(name, variable);
    return variable;
  }

  /** Adds a child module whose parameters appear under `name.`. Returns the child. */
  child<M extends Module>(name: string, module: M): M {
    this.checkFree(name);
    this.children.set(name, module);
    return module;
  }

  /** Every parameter by path: own ones first, then each child's under its prefix. */
  map(): Map<string, tf.Variable> {
    const out = new Map(this.own);
    for (const [prefix, child] of this.children) {
      for (const [name, variable] of child.parameters()) out.set(`${prefix}.${name}`, variable);
    }
    return out;
  }

  /** Disposes own variables and every child. */
  dispose(): void {
    for (const v of this.own.values()) v.dispose();
    for (const child of this.children.values()) child.dispose();
    this.own.clear();
    this.children.clear();
  }

  private checkFree(name: string): void {
    if (this.own.has(name) || this.children.has(name)) {
      throw new ConfigError(`parameter name '${name}' is used twice in one module`);
    }
  }
}

/**
 * The most one parameter may take, in bytes. TensorFlow.js's wasm backend addresses at most
 * 4 GiB in all, and training keeps four copies of each parameter (value, gradient, Adam's
 * two moments), so a larger one could never train; refusing it up front turns a crash deep
 * in the backend ("memory access out of bounds") into an error that names the setting.
 */
export const MAX_PARAMETER_BYTES = 256 * 1024 * 1024;

/** Checks a parameter's shape and estimated memory before anything is allocated. */
function checkAffordable(name: string, shape: readonly number[]): void {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ConfigError(
      `parameter '${name}': expected a shape of non-negative integers, found [${shape.join(', ')}]`,
    );
  }
  const values = shape.reduce((a, b) => a * b, 1);
  const bytes = values * 4;
  if (!(bytes <= MAX_PARAMETER_BYTES)) {
    throw new ConfigError(
      `parameter '${name}' of shape [${shape.join(', ')}] would take ${formatBytes(bytes)} (${values.toExponential(2)} float32 values); at most ${formatBytes(MAX_PARAMETER_BYTES)} per parameter is accepted: reduce the model's sizes (hidden size, embedding size, vocabulary)`,
    );
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
  return `${(bytes / 2 ** 20).toPrecision(3)} MiB`;
}

/** Total number of scalar parameters of a module. */
export function countParameters(module: Module): number {
  let n = 0;
  for (const v of module.parameters().values()) n += v.size;
  return n;
}
