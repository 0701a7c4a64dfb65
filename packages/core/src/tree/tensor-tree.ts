import * as tf from '@tensorflow/tfjs';

/**
 * A nested record or list of tensors. Decoder states, attention caches and encoder
 * memories are tensor trees whose every leaf is batch-major (axis 0 is the batch or
 * batch×beam), so search can reorder any of them with one {@link gatherTree}.
 *
 * Typed as `object` so implementations can describe their own records as interfaces
 * (`interface LstmState { h: Tensor2D; c: Tensor2D }`). The helpers below walk arrays and
 * plain objects, treat tensors as leaves, and pass other values through.
 */
export type TensorTree = object;

/** Every tensor leaf of a tree, depth first. */
export function treeLeaves(tree: unknown): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  visit(tree, (t) => out.push(t));
  return out;
}

/** Applies `fn` to every leaf and rebuilds a tree of the same structure. */
export function mapTree<T>(tree: T, fn: (leaf: tf.Tensor) => tf.Tensor): T {
  if (tree instanceof tf.Tensor) return fn(tree) as T;
  if (Array.isArray(tree)) return tree.map((t) => mapTree(t, fn)) as T;
  if (isPlainObject(tree)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tree)) out[key] = mapTree(value, fn);
    return out as T;
  }
  return tree;
}

/**
 * Selects rows of every leaf: row `i` of the result is row `indices[i]` of the input. This
 * is the one mechanism search uses to reorder or expand state.
 */
export function gatherTree<T>(tree: T, indices: tf.Tensor1D): T {
  return mapTree(tree, (leaf) => tf.gather(leaf, indices, 0));
}

/** Disposes every leaf. */
export function disposeTree(tree: unknown): void {
  visit(tree, (t) => t.dispose());
}

/** Keeps every leaf alive past the enclosing `tf.tidy`. */
export function keepTree<T>(tree: T): T {
  visit(tree, (t) => tf.keep(t));
  return tree;
}

/**
 * `tf.tidy` for any tree: disposes every intermediate tensor of `fn` and hands the leaves
 * of the tree it returns to the enclosing scope, exactly as `tf.tidy` does for the
 * containers it understands (which exclude interfaces such as `Memory`).
 */
export function tidyTree<T>(fn: () => T): T {
  let result!: T;
  tf.tidy(() => {
    result = fn();
    return treeLeaves(result);
  });
  return result;
}

function visit(tree: unknown, fn: (t: tf.Tensor) => void): void {
  if (tree instanceof tf.Tensor) fn(tree);
  else if (Array.isArray(tree)) for (const t of tree) visit(t, fn);
  else if (isPlainObject(tree)) for (const value of Object.values(tree)) visit(value, fn);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
