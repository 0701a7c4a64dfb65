import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors/errors.js';

/** The optimizers a {@link Trainer} builds. */
export type OptimizerKind = 'adam' | 'sgd';

/**
 * Slot variables per parameter, in the order tfjs keeps them. tfjs names a slot
 * `<variable name>/<slot>` and matches slots to variables by position in the gradient
 * list, not by name; variable names are process-wide counters that differ between runs.
 */
const SLOTS: Record<OptimizerKind, readonly string[]> = { adam: ['m', 'v'], sgd: [] };

/**
 * Adam's running β₁^t and β₂^t. tfjs's `setWeights` recomputes them as pow(β, t + 1), which
 * differs in the last bits from the running product it keeps while training, so exact
 * resume saves and restores them too.
 */
const ADAM_POWERS = ['accBeta1', 'accBeta2'] as const;

/**
 * The optimizer's state, named by parameter path (`encoder.table/m`), plus `iter` and, for
 * Adam, `accBeta1` and `accBeta2`. The caller owns the returned tensors.
 */
export async function exportOptimizerState(
  kind: OptimizerKind,
  optimizer: tf.Optimizer,
  params: ReadonlyMap<string, tf.Variable>,
): Promise<Map<string, tf.Tensor>> {
  const pathOf = new Map([...params].map(([path, v]) => [v.name, path]));
  const out = new Map<string, tf.Tensor>();
  for (const { name, tensor } of await optimizer.getWeights()) {
    if (name === 'iter') {
      out.set('iter', tensor); // a fresh scalar, already ours
      continue;
    }
    const cut = name.lastIndexOf('/');
    const path = pathOf.get(name.slice(0, cut));
    if (path === undefined) {
      throw new Error(`optimizer slot '${name}' belongs to no parameter of the model`);
    }
    out.set(`${path}/${name.slice(cut + 1)}`, tf.clone(tensor));
  }
  if (kind === 'adam') {
    for (const key of ADAM_POWERS) out.set(key, tf.clone(adamPower(optimizer, key)));
  }
  return out;
}

/**
 * Loads a state saved by {@link exportOptimizerState} into a fresh optimizer of the same
 * kind. Validates everything first: a missing, extra or misshapen slot is a
 * {@link CheckpointError} naming `file`. Does not take ownership of `state`.
 */
export async function importOptimizerState(
  kind: OptimizerKind,
  optimizer: tf.Optimizer,
  params: ReadonlyMap<string, tf.Variable>,
  state: ReadonlyMap<string, tf.Tensor>,
  file: string,
): Promise<void> {
  const entries = checkOptimizerState(kind, params, state, file);
  await optimizer.setWeights(entries);
  if (kind === 'adam') {
    for (const key of ADAM_POWERS) adamPower(optimizer, key).assign(state.get(key)!);
  }
}

/**
 * Checks a saved state against the parameters and returns it in the order tfjs's
 * `setWeights` expects: `iter`, then every parameter's first slot, then its second.
 */
export function checkOptimizerState(
  kind: OptimizerKind,
  params: ReadonlyMap<string, tf.Variable>,
  state: ReadonlyMap<string, tf.Tensor>,
  file: string,
): { name: string; tensor: tf.Tensor }[] {
  const powers = kind === 'adam' ? ADAM_POWERS : [];
  for (const key of ['iter', ...powers]) {
    if (state.get(key)?.size !== 1) throw new CheckpointError(file, `has no scalar '${key}'`);
  }
  const iter = state.get('iter')!;
  const expected = new Set<string>(['iter', ...powers]);
  const slots = SLOTS[kind];
  // Before the first step Adam has no slots yet; either all are there or none.
  const hasSlots = slots.some((slot) => [...params.keys()].some((p) => state.has(`${p}/${slot}`)));
  const entries: { name: string; tensor: tf.Tensor }[] = [{ name: 'iter', tensor: iter }];
  if (hasSlots) {
    for (const slot of slots) {
      for (const [path, variable] of params) {
        const name = `${path}/${slot}`;
        const value = state.get(name);
        if (!value) throw new CheckpointError(file, `missing optimizer slot '${name}'`);
        if (value.shape.join(',') !== variable.shape.join(',')) {
          throw new CheckpointError(
            file,
            `optimizer slot '${name}' has shape [${value.shape}], the parameter has [${variable.shape}]`,
          );
        }
        expected.add(name);
        entries.push({ name: `${variable.name}/${slot}`, tensor: value });
      }
    }
  }
  for (const name of state.keys()) {
    if (!expected.has(name)) {
      throw new CheckpointError(
        file,
        `unexpected optimizer entry '${name}' for a ${kind} optimizer over this model's parameters`,
      );
    }
  }
  return entries;
}

function adamPower(optimizer: tf.Optimizer, key: (typeof ADAM_POWERS)[number]): tf.Variable {
  const value = (optimizer as unknown as Record<string, unknown>)[key];
  if (!(value instanceof tf.Variable)) {
    throw new Error(
      `this @tensorflow/tfjs Adam has no '${key}' variable; exact resume needs updating for it`,
    );
  }
  return value;
}
