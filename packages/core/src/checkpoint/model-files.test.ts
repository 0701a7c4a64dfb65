import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { saveModel as saveFolder } from '../node/model-folder.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { Vocabulary } from '../vocabulary/vocabulary.js';
import { loadModel, saveModel } from './model-files.js';
import { modelFromURL } from './model-url.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 5,
  source: { vocabSize: 7 },
  target: { vocabSize: 7 },
  encoder: { name: 'toy', size: 4 },
  decoder: { name: 'toy', hidden: 3 },
};
const vocab = new Vocabulary(['a', 'b', 'c']);
const BASE = 'https://models.example/demo/';

/** Every parameter's values, by name, read on the host. */
const valuesOf = (model: Seq2Seq) =>
  Object.fromEntries([...model.parameters()].map(([k, v]) => [k, Array.from(v.dataSync())]));

const lossOf = (model: Seq2Seq) => {
  const batch = makeBatch([[4, 5], [6]], [[4], [5, 6]], { pad: 0, bos: 1, eos: 2 });
  const loss = model.loss(batch, { training: false });
  const value = loss.dataSync()[0]!;
  loss.dispose();
  disposeBatch(batch);
  return value;
};

describe('loadModel / saveModel over tf.io handlers (no file system)', () => {
  beforeAll(() => pinBackend('wasm'));

  it('round-trips through an in-memory IO handler: config, vocabularies, metadata, exact weights', async () => {
    const model = Seq2Seq.build(config, registry);
    let saved: tf.io.ModelArtifacts | undefined;
    await saveModel(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      model,
      { vocabularies: { target: vocab }, metadata: { task: 'toy' } },
    );
    expect(saved?.weightSpecs?.map((s) => s.name)).toEqual([...model.parameters().keys()]);
    const before = tf.memory().numTensors;
    const loaded = await loadModel(tf.io.fromMemory(saved!), { registry });
    expect(loaded.model.config).toEqual(config);
    expect(loaded.vocabularies.target?.toJSON()).toEqual(vocab.toJSON());
    expect(loaded.vocabularies.source).toBeUndefined();
    expect(loaded.metadata).toEqual({ task: 'toy' });
    expect(valuesOf(loaded.model)).toEqual(valuesOf(model));
    expect(lossOf(loaded.model)).toBe(lossOf(model));
    loaded.model.dispose();
    expect(tf.memory().numTensors, 'only the model owned tensors').toBe(before);
    model.dispose();
  });

  it('refuses in-memory weights that differ from the checksum model.json records', async () => {
    const model = Seq2Seq.build(config, registry);
    let saved: tf.io.ModelArtifacts | undefined;
    await saveModel(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      model,
    );
    model.dispose();
    const bytes = new Uint8Array((saved!.weightData as ArrayBuffer).slice(0));
    bytes[3] = bytes[3]! ^ 0x01;
    const before = tf.memory().numTensors;
    const error = await loadModel(tf.io.fromMemory({ ...saved!, weightData: bytes.buffer }), {
      registry,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).problem).toMatch(/does not match the checksum/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a path or a handler without load/save, naming the Node entry', async () => {
    const model = Seq2Seq.build(config, registry);
    await expect(loadModel('runs/copy/model', { registry })).rejects.toThrow(ConfigError);
    await expect(loadModel('runs/copy/model', { registry })).rejects.toThrow(/@s2s\/core\/node/);
    await expect(saveModel('runs/copy/model' as never, model)).rejects.toThrow(
      /saveModel from '@s2s\/core\/node'/,
    );
    await expect(loadModel({} as never, { registry })).rejects.toThrow(ConfigError);
    model.dispose();
  });

  it('names a mistyped or bad option before reading anything', async () => {
    await expect(loadModel(BASE, { registy: registry } as never)).rejects.toThrow(
      /loadModel: unknown option 'registy' \(did you mean 'registry'\?\)/,
    );
    await expect(loadModel(BASE, { fetch: 'curl' as never })).rejects.toThrow(
      "loadModel: option 'fetch': expected a fetch function, got 'curl'",
    );
    expect(() => modelFromURL(BASE, { requestInt: {} } as never)).toThrow(
      /modelFromURL: unknown option 'requestInt' \(did you mean 'requestInit'\?\)/,
    );
  });
});

describe('loadModel from a URL (fetch stubbed: a folder saved by @s2s/core/node, served)', () => {
  let dir: string;
  let model: Seq2Seq;
  /** The bytes the stub server serves, by URL; a test may edit them. */
  let served: Map<string, Uint8Array>;
  const requested: string[] = [];
  const fetchStub = async (url: string) => {
    requested.push(url);
    const bytes = served.get(url);
    return bytes ? new Response(bytes.slice()) : new Response('not found', { status: 404 });
  };
  const serve = async () => {
    served = new Map();
    for (const name of ['model.json', 'weights.json', 'weights.bin', 'checksums.json']) {
      served.set(`${BASE}${name}`, new Uint8Array(await readFile(join(dir, name))));
    }
  };
  const failure = async (url: string = BASE) => {
    const before = tf.memory().numTensors;
    const error = await loadModel(url, { registry, fetch: fetchStub }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(tf.memory().numTensors, 'a refused model leaves no tensor behind').toBe(before);
    return error as CheckpointError;
  };

  beforeAll(async () => {
    await pinBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 's2s-url-'));
    model = Seq2Seq.build(config, registry);
    await saveFolder(dir, model, { vocabularies: { source: vocab }, metadata: { steps: 3 } });
  });
  afterAll(async () => {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips: the folder URL or its model.json URL, every file fetched and checked', async () => {
    for (const url of [BASE, `${BASE}model.json`, BASE.slice(0, -1)]) {
      await serve();
      requested.length = 0;
      const loaded = await loadModel(url, { registry, fetch: fetchStub });
      expect(requested[0], 'checksums first: nothing is trusted before them').toBe(
        `${BASE}checksums.json`,
      );
      expect([...requested].sort()).toEqual([...served.keys()].sort());
      expect(loaded.model.config).toEqual(config);
      expect(loaded.vocabularies.source?.toJSON()).toEqual(vocab.toJSON());
      expect(loaded.metadata).toEqual({ steps: 3 });
      expect(valuesOf(loaded.model)).toEqual(valuesOf(model));
      expect(lossOf(loaded.model)).toBe(lossOf(model));
      loaded.model.dispose();
    }
  });

  it('reads through the global fetch when none is given', async () => {
    await serve();
    const global = globalThis.fetch;
    globalThis.fetch = ((url: string) => fetchStub(url)) as typeof fetch;
    try {
      const loaded = await loadModel(new URL('model.json', BASE), { registry });
      expect(valuesOf(loaded.model)).toEqual(valuesOf(model));
      loaded.model.dispose();
    } finally {
      globalThis.fetch = global;
    }
  });

  it('refuses a weight file with one byte changed, naming its URL', async () => {
    await serve();
    served.get(`${BASE}weights.bin`)![7] ^= 0x10;
    const error = await failure();
    expect(error.file).toBe(`${BASE}weights.bin`);
    expect(error.problem).toMatch(/does not match the checksum recorded in checksums\.json/);
  });

  it('refuses a truncated or lengthened file before hashing it', async () => {
    await serve();
    const bin = served.get(`${BASE}weights.bin`)!;
    served.set(`${BASE}weights.bin`, bin.subarray(0, 10));
    expect((await failure()).problem).toMatch(/has 10 bytes, \d+ expected: the file is truncated/);
    const longer = new Uint8Array(bin.byteLength + 4);
    longer.set(bin);
    served.set(`${BASE}weights.bin`, longer);
    expect((await failure()).problem).toMatch(/has more than \d+ bytes/);
  });

  it('requires checksums.json, and reads no file it does not list', async () => {
    await serve();
    served.delete(`${BASE}checksums.json`);
    const missing = await failure();
    expect([missing.file, missing.problem]).toEqual([
      `${BASE}checksums.json`,
      'file is missing (HTTP 404)',
    ]);
    await serve();
    const manifest = JSON.parse(new TextDecoder().decode(served.get(`${BASE}weights.json`)));
    manifest[0].paths = ['other.bin'];
    await resealed('weights.json', JSON.stringify(manifest));
    const unlisted = await failure();
    expect([unlisted.file, unlisted.problem]).toEqual([
      `${BASE}other.bin`,
      'is not listed in checksums.json: only files covered by checksums are read',
    ]);
  });

  it.each(['../secret.bin', '/etc/passwd', 'https://elsewhere.example/w.bin', '%2e%2e/w.bin'])(
    'refuses a manifest naming %s, outside the folder',
    async (shard) => {
      await serve();
      const manifest = JSON.parse(new TextDecoder().decode(served.get(`${BASE}weights.json`)));
      manifest[0].paths = [shard];
      await resealed('weights.json', JSON.stringify(manifest));
      requested.length = 0;
      expect((await failure()).problem).toMatch(/outside .*; refused/);
      expect(requested.every((url) => url.startsWith(BASE))).toBe(true);
    },
  );

  it('a model.json of another format is refused even with matching checksums', async () => {
    await serve();
    await resealed('model.json', JSON.stringify({ format: 'keras' }));
    const error = await failure();
    expect([error.file, error.problem]).toEqual([
      `${BASE}model.json`,
      "is not an s2s model file (expected format 's2s-model')",
    ]);
  });

  /**
   * Replaces a served file and re-records its checksum, as someone who controls the whole
   * server would: the content checks after the checksums must still hold. The digest comes
   * from node:crypto, independent of the code under test.
   */
  async function resealed(name: string, text: string) {
    const { createHash } = await import('node:crypto');
    const bytes = new TextEncoder().encode(text);
    served.set(`${BASE}${name}`, bytes);
    const sums = JSON.parse(new TextDecoder().decode(served.get(`${BASE}checksums.json`)));
    sums.files[name] = {
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    served.set(`${BASE}checksums.json`, new TextEncoder().encode(JSON.stringify(sums)));
  }
});
