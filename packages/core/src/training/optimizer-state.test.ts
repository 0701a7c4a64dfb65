import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import {
  checkOptimizerState,
  exportOptimizerState,
  importOptimizerState,
} from './optimizer-state.js';
import { Trainer } from './trainer.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 5,
  source: { vocabSize: 6 },
  target: { vocabSize: 6 },
  encoder: { name: 'toy', size: 3 },
  decoder: { name: 'toy', hidden: 3 },
};
const batchOf = () =>
  makeBatch(
    [[3, 4], [5]],
    [
      [4, 3],
      [5, 5],
    ],
    { pad: 0, bos: 1, eos: 2 },
  );
const values = (state: Map<string, tf.Tensor>) =>
  new Map([...state].map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('optimizer state', () => {
  beforeAll(() => pinBackend('wasm'));

  it("names Adam's slots by parameter path and holds m = (1−β₁)·g, v = (1−β₂)·g² after one step", async () => {
    const model = Seq2Seq.build(config, registry);
    const batch = batchOf();
    const grads = new Map<string, number[]>();
    tf.tidy(() => {
      const { grads: g } = tf.variableGrads(
        () => model.loss(batch, { training: true }),
        [...model.parameters().values()],
      );
      for (const [path, v] of model.parameters())
        grads.set(path, Array.from(g[v.name]!.dataSync()));
    });
    const trainer = new Trainer(model, { clipNorm: 0 });
    trainer.step(batch);
    const state = await exportOptimizerState('adam', trainer.optimizer, model.parameters());
    const paths = [...model.parameters().keys()];
    expect([...state.keys()].sort()).toEqual(
      [
        'iter',
        'accBeta1',
        'accBeta2',
        ...paths.map((p) => `${p}/m`),
        ...paths.map((p) => `${p}/v`),
      ].sort(),
    );
    expect(state.get('iter')!.dataSync()[0]).toBe(1);
    for (const path of paths) {
      const g = grads.get(path)!;
      const m = Array.from(state.get(`${path}/m`)!.dataSync());
      const v = Array.from(state.get(`${path}/v`)!.dataSync());
      m.forEach((x, i) => expect(x).toBeCloseTo(0.1 * g[i]!, 6));
      v.forEach((x, i) => expect(x).toBeCloseTo(0.001 * g[i]! ** 2, 8));
    }
    tf.dispose([...state.values()]);
    disposeBatch(batch);
    trainer.dispose();
    model.dispose();
  });

  it('moves into a fresh optimizer over another model instance (other variable names), exactly', async () => {
    const a = Seq2Seq.build(config, registry);
    const trainer = new Trainer(a);
    const batch = batchOf();
    for (let i = 0; i < 3; i++) trainer.step(batch);
    const saved = await exportOptimizerState('adam', trainer.optimizer, a.parameters());
    const b = Seq2Seq.build(config, registry);
    expect([...b.parameters().values()][0]!.name).not.toBe([...a.parameters().values()][0]!.name);
    const fresh = tf.train.adam(0.001);
    await importOptimizerState('adam', fresh, b.parameters(), saved, 'opt.bin');
    const back = await exportOptimizerState('adam', fresh, b.parameters());
    expect(values(back)).toEqual(values(saved));
    tf.dispose([...saved.values(), ...back.values()]);
    fresh.dispose();
    disposeBatch(batch);
    trainer.dispose();
    a.dispose();
    b.dispose();
  });

  it('rejects a missing, misshapen or unexpected slot with a CheckpointError naming the file', async () => {
    const model = Seq2Seq.build(config, registry);
    const params = model.parameters();
    const [first, second] = [...params.keys()];
    const full = new Map<string, tf.Tensor>([
      ['iter', tf.scalar(2, 'int32')],
      ['accBeta1', tf.scalar(0.81)],
      ['accBeta2', tf.scalar(0.998)],
    ]);
    for (const slot of ['m', 'v']) {
      for (const [path, v] of params) full.set(`${path}/${slot}`, tf.zerosLike(v));
    }
    expect(checkOptimizerState('adam', params, full, 'f')).toHaveLength(1 + 2 * params.size);
    const without = (name: string) => new Map([...full].filter(([k]) => k !== name));
    const check =
      (state: Map<string, tf.Tensor>, kind: 'adam' | 'sgd' = 'adam') =>
      () =>
        checkOptimizerState(kind, params, state, 'opt/weights.bin');
    expect(check(without(`${second}/v`))).toThrow(/opt\/weights.bin: missing optimizer slot/);
    expect(check(without('accBeta2'))).toThrow(CheckpointError);
    const wrong = new Map(full).set(`${first}/m`, tf.zeros([1, 1]));
    expect(check(wrong)).toThrow(/has shape \[1,1\], the parameter has/);
    expect(check(new Map(full).set('extra/m', tf.scalar(0)))).toThrow(
      /unexpected optimizer entry 'extra\/m'/,
    );
    expect(check(full, 'sgd')).toThrow(/unexpected optimizer entry/);
    // Adam before its first step has no slots at all, which is fine.
    const early = new Map([...full].filter(([k]) => !k.includes('/')));
    expect(check(early)()).toHaveLength(1);
    tf.dispose([...full.values(), wrong.get(`${first}/m`)!]);
    model.dispose();
  });
});
