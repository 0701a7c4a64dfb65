import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pinBackend } from '../testing/helpers.js';
import { disposeTree, gatherTree, tidyTree, treeLeaves } from './tensor-tree.js';

describe('tensor trees', () => {
  beforeAll(() => pinBackend('cpu'));

  it('gathers rows of every leaf, nested in records and arrays', () => {
    const tree = {
      h: tf.tensor2d([[1], [2], [3]]),
      layers: [{ c: tf.tensor1d([10, 20, 30]) }],
      step: 4,
    };
    const out = gatherTree(tree, tf.tensor1d([2, 0, 0], 'int32'));
    expect(out.h.arraySync()).toEqual([[3], [1], [1]]);
    expect(out.layers[0]!.c.arraySync()).toEqual([30, 10, 10]);
    expect(out.step).toBe(4);
    disposeTree([tree, out]);
  });

  it('tidyTree hands the returned leaves to the enclosing scope and frees the rest', () => {
    const before = tf.memory().numTensors;
    const kept = tidyTree(() => {
      tf.ones([2]);
      return { a: tf.zeros([1]), b: [tf.ones([3])] };
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.tidy(() => {
      tidyTree(() => ({ inner: tf.zeros([4]) }));
    });
    expect(tf.memory().numTensors, 'an unreturned inner tree is freed by the outer tidy').toBe(
      before + 2,
    );
    expect(treeLeaves(kept)).toHaveLength(2);
    disposeTree(kept);
    expect(tf.memory().numTensors).toBe(before);
  });
});
