import { type Memory, ShapeError } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/**
 * The memory of the further source `name`, as a multi-source encoder leaves it in
 * `Memory.extras`: a record with `states` `[B, S', H']`, `mask` `[B, S']` and, optionally,
 * `final`. A missing or malformed one is a {@link ShapeError} saying what was expected.
 */
export function sourceMemory(memory: Memory, name: string): Memory {
  const found = memory.extras?.[name] as Partial<Memory> | undefined;
  const what = `multi-source attention: source '${name}'`;
  if (found === undefined) {
    const present = Object.keys(memory.extras ?? {});
    throw new ShapeError(
      what,
      `a memory { states, mask } in Memory.extras.${name} (a multi-source encoder puts it there)`,
      present.length ? `only ${present.join(', ')}` : 'no extras at all',
    );
  }
  if (!(found.states instanceof tf.Tensor) || !(found.mask instanceof tf.Tensor)) {
    throw new ShapeError(what, 'a record with tensors states and mask', 'something else');
  }
  const b = memory.mask.shape[0];
  if (found.states.rank !== 3 || found.mask.rank !== 2 || found.states.shape[0] !== b) {
    throw new ShapeError(
      what,
      `states [${b}, S, H] and mask [${b}, S]`,
      `states [${found.states.shape.join(', ')}] and mask [${found.mask.shape.join(', ')}]`,
    );
  }
  return { states: found.states, mask: found.mask, final: found.final ?? [] };
}

/**
 * One attention over every source at once (Libovický and Helcl's flat combination): the
 * states concatenated along the time axis, `[B, S + S', H]`, with the joint mask.
 */
export function flatMemory(memory: Memory, names: readonly string[]): Memory {
  const parts = [memory, ...names.map((n) => sourceMemory(memory, n))];
  const h = memory.states.shape[2];
  parts.forEach((part, i) => {
    if (part.states.shape[2] !== h) {
      throw new ShapeError(
        `multi-source attention (flat): source '${names[i - 1]}'`,
        `states of the main source's size ${h}`,
        `size ${part.states.shape[2]}`,
      );
    }
  });
  return {
    states: tf.concat(
      parts.map((p) => p.states),
      1,
    ) as tf.Tensor3D,
    mask: tf.concat(
      parts.map((p) => p.mask),
      1,
    ) as tf.Tensor2D,
    final: memory.final,
    ...(memory.extras ? { extras: memory.extras } : {}),
  };
}

/**
 * The main source's share of a flat alignment `[B, …, S + S']`, renormalised to a
 * distribution over the main source's `S` positions (all zeros in a row that gave the main
 * source no weight at all).
 */
export function mainShare<T extends tf.Tensor>(weights: T, mainLength: number): T {
  const begin = weights.shape.map(() => 0);
  const size = weights.shape.map((n, axis) => (axis === weights.rank - 1 ? mainLength : n));
  const share = tf.slice(weights, begin, size);
  return tf.divNoNan(share, tf.sum(share, -1, true)) as T;
}
