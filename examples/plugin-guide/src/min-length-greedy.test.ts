import { disposeTree, type Memory, registry, type StepModel } from '@s2s/core';
import {
  describeSearch,
  memoryRow,
  pinBackend,
  randomMemory,
  toyStepModel,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MinLengthGreedy } from './min-length-greedy.js';
import './register.js';

describeSearch('min-length-greedy', {
  create: () => registry.create('search', { name: 'min-length-greedy', minLength: 2 }),
});

describe('MinLengthGreedy', () => {
  beforeAll(() => pinBackend('cpu'));

  it('never ends an output before minLength tokens, and with minLength 0 picks what argmax picks', async () => {
    const model = toyStepModel({ vocabSize: 4, seed: 3 });
    const lengths = [3, 2, 4];
    const memory = randomMemory({ lengths, size: 4, seed: 2 });
    const free = await new MinLengthGreedy().search(model, memory, { maxLength: 6 });
    const held = await new MinLengthGreedy({ minLength: 4 }).search(model, memory, {
      maxLength: 6,
    });
    for (const [h] of held) {
      const eos = h!.tokens.indexOf(model.eos);
      expect(eos === -1 || eos >= 3, `tokens ${h!.tokens}`).toBe(true);
    }
    for (let row = 0; row < 3; row++) {
      const alone = memoryRow(memory, row, lengths[row]!);
      expect(free[row]![0]!.tokens).toEqual(argmaxOnHost(model, alone, 6));
      disposeTree(alone);
    }
    disposeTree(memory);
    model.dispose();
  });
});

/** Reference: one row stepped alone, the argmax taken on the host from each distribution. */
function argmaxOnHost(model: StepModel, memory: Memory, maxLength: number): number[] {
  const cache = model.prepare(memory);
  let state = model.initialState(cache);
  const tokens: number[] = [];
  while (tokens.length < maxLength && tokens.at(-1) !== model.eos) {
    const prev = tf.tensor1d([tokens.at(-1) ?? model.bos], 'int32');
    const r = model.step(prev, state, cache);
    const logProbs = r.logProbs.arraySync()[0]!;
    tokens.push(logProbs.indexOf(Math.max(...logProbs)));
    disposeTree([prev, state, r.logProbs, r.weights]);
    state = r.state;
  }
  disposeTree([cache, state]);
  return tokens;
}
