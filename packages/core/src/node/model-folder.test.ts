import { execFileSync, spawnSync } from 'node:child_process';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { Vocabulary } from '../vocabulary/vocabulary.js';
import { recoverFolder, writeFolderAtomically } from './atomic-folder.js';
import { loadModel, saveModel } from './model-folder.js';
import { sealFolder } from './sealed-folder.js';

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
      'checksums.json',
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

  it('a crash at any instant of a swap leaves a folder that recoverFolder puts back', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const sealed = async (path: string, value: string) => {
      await mkdir(path);
      await writeFile(join(path, 'v'), value);
      await sealFolder(path);
    };
    const out = join(dir, 'out');
    const tmp = join(dir, `.out.tmp-${dead}-0a`);
    const old = join(dir, `.out.old-${dead}-0a`);
    const read = () => readFile(join(out, 'v'), 'utf8');
    // 1. While the new copy is written: the old folder stands, the half-written one goes.
    await sealed(out, 'old');
    await mkdir(tmp);
    expect(await recoverFolder(out)).toBe(true);
    expect([await read(), await readdir(dir)]).toEqual(['old', ['out']]);
    // 2. Between the renames: no folder, two complete copies; the newer one comes back.
    await rename(out, old);
    await sealed(tmp, 'new');
    expect(await recoverFolder(out)).toBe(true);
    expect([await read(), await readdir(dir)]).toEqual(['new', ['out']]);
    // 3. After the second rename: the old copy is removed.
    await sealed(old, 'old');
    expect(await recoverFolder(out)).toBe(true);
    expect([await read(), await readdir(dir)]).toEqual(['new', ['out']]);
    // A copy that was never sealed is incomplete and never put in place.
    await rm(out, { recursive: true });
    await mkdir(tmp);
    expect(await recoverFolder(out)).toBe(false);
    // A write in progress in a live process is left alone.
    const live = join(dir, `.out.tmp-${process.pid}-0b`);
    await mkdir(live);
    await recoverFolder(out);
    expect(await readdir(dir)).toEqual([basename(live)]);
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
      await expectFailure('weights.bin', /has 10 bytes, \d+ expected: the file is truncated/);
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
      await expectFailure('model.json', /has 40 bytes, \d+ expected: the file is truncated/);
      await sealFolder(path); // even with matching checksums, the JSON itself is checked
      await expectFailure('model.json', /not valid JSON/);
    });

    it('weights that do not fit the model', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.config.decoder.hidden = 4;
      await writeFile(join(path, 'model.json'), JSON.stringify(file));
      await sealFolder(path);
      await expectFailure(
        'weights.bin',
        /weight 'decoder.embedding' has shape \[7,3\], the model expects \[7,4\]/,
      );
    });

    it('a config naming a plugin nobody registered', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.config.encoder.name = 'transformer';
      await writeFile(join(path, 'model.json'), JSON.stringify(file));
      await sealFolder(path);
      await expectFailure('model.json', /unknown encoder 'transformer'; registered encoders: toy/);
    });

    it('a file of another format', async () => {
      await writeFile(join(path, 'model.json'), JSON.stringify({ format: 'keras' }));
      await sealFolder(path);
      await expectFailure('model.json', /not an s2s model file/);
    });
  });

  describe('reads only the files of the folder, all of them checked', () => {
    let path: string;
    beforeEach(async () => {
      const model = Seq2Seq.build(config, registry);
      path = join(dir, 'm');
      await saveModel(path, model, { vocabularies: { target: vocab } });
      model.dispose();
    });
    const failure = async () => {
      const error = await loadModel(path, { registry }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      return (error as CheckpointError).message;
    };
    const editManifest = async (shard: string) => {
      const manifest = JSON.parse(await readFile(join(path, 'weights.json'), 'utf8'));
      manifest[0].paths = [shard];
      await writeFile(join(path, 'weights.json'), JSON.stringify(manifest));
      await sealFolder(path); // an attacker controls the whole folder, checksums included
    };

    it.each(['../../../../../../etc/passwd', '/proc/self/environ', '/dev/zero'])(
      'refuses a manifest naming %s',
      async (shard) => {
        await editManifest(shard);
        expect(await failure()).toMatch(/outside .*; refused/);
      },
    );

    it('refuses a checksums list naming a file outside the folder', async () => {
      const sums = JSON.parse(await readFile(join(path, 'checksums.json'), 'utf8'));
      sums.files['../../../../../../etc/passwd'] = { bytes: 1, sha256: '0'.repeat(64) };
      await writeFile(join(path, 'checksums.json'), JSON.stringify(sums));
      expect(await failure()).toMatch(/checksums\.json: names the file .*etc\/passwd.*refused/);
    });

    it('refuses a weights file that is a symlink leading outside, or not a regular file', async () => {
      const outside = join(dir, 'outside.bin');
      await cp(join(path, 'weights.bin'), outside);
      await rm(join(path, 'weights.bin'));
      await symlink(outside, join(path, 'weights.bin'));
      expect(await failure()).toMatch(/weights\.bin: leads outside the folder/);
      await rm(join(path, 'weights.bin'));
      await symlink('/dev/zero', join(path, 'weights.bin'));
      expect(await failure()).toMatch(/weights\.bin: leads outside the folder/);
      await rm(join(path, 'weights.bin'));
      execFileSync('mkfifo', [join(path, 'weights.bin')]);
      expect(await failure()).toMatch(/weights\.bin: is not a regular file; refused/);
    });

    it('checks the declared size before reading: a huge file is refused unread', async () => {
      await truncate(join(path, 'weights.bin'), 2 ** 40); // sparse: 1 TiB declared, 0 stored
      expect(await failure()).toMatch(/has 1099511627776 bytes, \d+ expected/);
    });

    it('covers model.json: a reversed vocabulary is detected', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.vocabularies.target.tokens.reverse();
      const text = JSON.stringify(file, null, 2).padEnd(
        (await readFile(join(path, 'model.json'))).byteLength - 1,
      );
      await writeFile(join(path, 'model.json'), `${text}\n`);
      expect(await failure()).toMatch(/model\.json: does not match the checksum/);
    });

    it('requires checksums: a folder without them names the fix', async () => {
      await rm(join(path, 'checksums.json'));
      expect(await failure()).toMatch(/checksums\.json: is missing.*s2s seal/);
      await sealFolder(path);
      const loaded = await loadModel(path, { registry });
      loaded.model.dispose();
    });

    it('refuses a vocabulary larger than the model', async () => {
      const file = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      file.vocabularies.target.tokens.push(...'defghijklmn');
      await writeFile(join(path, 'model.json'), JSON.stringify(file));
      await sealFolder(path);
      expect(await failure()).toMatch(/target vocabulary has \d+ tokens, the model only 7/);
    });

    it('refuses a weight dtype that is an inherited property name', async () => {
      const manifest = JSON.parse(await readFile(join(path, 'weights.json'), 'utf8'));
      manifest[0].weights[0].dtype = 'constructor';
      await writeFile(join(path, 'weights.json'), JSON.stringify(manifest));
      await sealFolder(path);
      expect(await failure()).toMatch(/malformed weight entry .*constructor/);
    });
  });
});
