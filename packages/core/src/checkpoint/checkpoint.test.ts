import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { Vocabulary } from '../vocabulary/vocabulary.js';
import { writeFolderAtomically } from './files.js';
import { loadModel, saveModel } from './model-files.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 3,
  source: { vocabSize: 7 },
  target: { vocabSize: 7 },
  encoder: { name: 'toy', size: 4 },
  decoder: { name: 'toy', hidden: 3 },
};
const vocab = new Vocabulary(['a', 'b', 'c']);

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeAll(() => pinBackend('wasm'));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's2s-ckpt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const lossOf = (model: Seq2Seq) => {
    const batch = makeBatch([[4, 5], [6]], [[4], [5, 6]], { pad: 0, bos: 1, eos: 2 });
    const value = model.loss(batch, { training: false }).dataSync()[0]!;
    disposeBatch(batch);
    return value;
  };

  it('round-trips config, vocabularies, metadata and exact weights through the registry', async () => {
    const model = Seq2Seq.build(config, registry);
    await saveModel(join(dir, 'm'), model, {
      vocabularies: { source: vocab, target: vocab },
      metadata: { steps: 12 },
    });
    expect((await readdir(join(dir, 'm'))).sort()).toEqual([
      'model.json',
      'weights.bin',
      'weights.json',
    ]);
    const loaded = await loadModel(join(dir, 'm'), { registry });
    expect(loaded.model.config).toEqual(config);
    expect(loaded.vocabularies.source?.toJSON()).toEqual(vocab.toJSON());
    expect(loaded.metadata).toEqual({ steps: 12 });
    for (const [name, v] of model.parameters()) {
      expect(Array.from(loaded.model.parameters().get(name)!.dataSync()), name).toEqual(
        Array.from(v.dataSync()),
      );
    }
    expect(lossOf(loaded.model)).toBe(lossOf(model));
    model.dispose();
    loaded.model.dispose();
  });

  it('writes a TensorFlow.js weights manifest', async () => {
    const model = Seq2Seq.build(config, registry);
    await saveModel(join(dir, 'm'), model);
    const manifest = JSON.parse(await readFile(join(dir, 'm', 'weights.json'), 'utf8'));
    expect(manifest[0].paths).toEqual(['weights.bin']);
    expect(manifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      ...model.parameters().keys(),
    ]);
    model.dispose();
  });

  it('replaces an existing model atomically, leaving no temporary folder behind', async () => {
    const a = Seq2Seq.build(config, registry);
    const b = Seq2Seq.build({ ...config, seed: 4 }, registry);
    await saveModel(join(dir, 'm'), a);
    await saveModel(join(dir, 'm'), b);
    expect(await readdir(dir)).toEqual(['m']);
    const loaded = await loadModel(join(dir, 'm'), { registry });
    expect(loaded.model.config.seed).toBe(4);
    for (const m of [a, b, loaded.model]) m.dispose();
  });

  it('a failure while writing leaves the previous model untouched', async () => {
    await writeFile(join(dir, 'keep.txt'), 'x');
    await writeFolderAtomically(join(dir, 'out'), async (tmp) => writeFile(join(tmp, 'v1'), '1'));
    await expect(
      writeFolderAtomically(join(dir, 'out'), async (tmp) => {
        await writeFile(join(tmp, 'v2'), '2');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(join(dir, 'out'))).toEqual(['v1']);
    expect((await readdir(dir)).sort()).toEqual(['keep.txt', 'out']);
  });

  describe('rejects a damaged checkpoint with a CheckpointError naming the file', () => {
    let path: string;
    beforeEach(async () => {
      const model = Seq2Seq.build(config, registry);
      path = join(dir, 'm');
      await saveModel(path, model);
      model.dispose();
    });
    const expectFailure = async (file: string, problem: RegExp) => {
      const before = tf.memory().numTensors;
      const error = await loadModel(path, { registry }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as CheckpointError).file).toBe(join(path, file));
      expect((error as CheckpointError).problem).toMatch(problem);
      expect(tf.memory().numTensors, 'a failed load frees what it built').toBe(before);
    };

    it('a missing folder or model.json', async () => {
      await rm(join(path, 'model.json'));
      await expectFailure('model.json', /file is missing/);
    });

    it('a missing weights file', async () => {
      await rm(join(path, 'weights.bin'));
      await expectFailure('weights.bin', /file is missing/);
    });

    it('a truncated weights file', async () => {
      await truncate(join(path, 'weights.bin'), 10);
      await expectFailure('weights.bin', /truncated: 10 bytes, the manifest describes \d+/);
    });

    it('a corrupted weights file', async () => {
      const bytes = await readFile(join(path, 'weights.bin'));
      bytes[5] = bytes[5]! ^ 0xff;
      await writeFile(join(path, 'weights.bin'), bytes);
      await expectFailure('weights.bin', /corrupted/);
    });

    it('a truncated model.json', async () => {
      const text = await readFile(join(path, 'model.json'), 'utf8');
      await writeFile(join(path, 'model.json'), text.slice(0, 40));
      await expectFailure('model.json', /not valid JSON/);
    });

    it('weights that do not fit the model', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.config.decoder.hidden = 4;
      await writeFile(join(path, 'model.json'), JSON.stringify(file));
      await expectFailure(
        'weights.bin',
        /weight 'decoder.embedding' has shape \[7,3\], the model expects \[7,4\]/,
      );
    });

    it('a config naming a plugin nobody registered', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.config.encoder.name = 'transformer';
      await writeFile(join(path, 'model.json'), JSON.stringify(file));
      await expectFailure('model.json', /unknown encoder 'transformer'; registered encoders: toy/);
    });

    it('a file of another format', async () => {
      await writeFile(join(path, 'model.json'), JSON.stringify({ format: 'keras' }));
      await expectFailure('model.json', /not an s2s model file/);
    });
  });
});
