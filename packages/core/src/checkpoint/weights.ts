import * as tf from '@tensorflow/tfjs';
import type { Module } from '../contracts/module.js';
import { CheckpointError } from '../errors/errors.js';

/** A copy of every parameter's current value, by path. The caller owns the tensors. */
export function exportWeights(module: Module): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, variable] of module.parameters()) out.set(name, tf.clone(variable));
  return out;
}

/**
 * Assigns saved values to a module's parameters. Every parameter must be present with its
 * exact shape and no extra names may appear; `source` names the file in errors.
 */
export function importWeights(
  module: Module,
  weights: ReadonlyMap<string, tf.Tensor>,
  source = 'weights',
): void {
  const params = module.parameters();
  for (const [name, variable] of params) {
    const value = weights.get(name);
    if (!value)
      throw new CheckpointError(source, `missing weight '${name}' (shape [${variable.shape}])`);
    if (value.shape.join(',') !== variable.shape.join(',')) {
      throw new CheckpointError(
        source,
        `weight '${name}' has shape [${value.shape}], the model expects [${variable.shape}]`,
      );
    }
    if (value.dtype !== variable.dtype) {
      throw new CheckpointError(
        source,
        `weight '${name}' has dtype ${value.dtype}, the model expects ${variable.dtype}`,
      );
    }
  }
  for (const name of weights.keys()) {
    if (!params.has(name))
      throw new CheckpointError(
        source,
        `unexpected weight '${name}': the model has no such parameter`,
      );
  }
  for (const [name, variable] of params) variable.assign(weights.get(name)!);
}
