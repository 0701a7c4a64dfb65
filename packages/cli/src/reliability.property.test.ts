/**
 * Property suite over the inputs a user or a downloaded folder controls: the readers, the
 * config loader, the model loader and `s2s decode`'s input. Each property asserts "a typed
 * one-line error, or a correct output: never a crash, a hang, a NaN, or exit 0 with
 * nothing". Seeded and bounded (a few hundred cases in all), so a failure replays exactly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, mergeSettings, S2SError } from '@s2s/core';
import { loadModel, sealFolder } from '@s2s/core/node';
import { DataError, decodeWav } from '@s2s/data';
import { readJsonlPairs, readTsvPairs } from '@s2s/data/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, toyFlags, trainedToyWorkspace } from '../test/harness.js';
import { readConfigFile } from './setup/settings.js';
import { toyReverseTask } from './testing/toy-task.js';
import { trainingSettings } from './train/train-settings.js';

const seed = 20261207;
const runs = (numRuns: number) => ({ seed, numRuns });

let ws: Awaited<ReturnType<typeof trainedToyWorkspace>>;
beforeAll(async () => {
  ws = await trainedToyWorkspace();
});
afterAll(() => ws.cleanup());

/** A WAV header with arbitrary fields over arbitrary float samples (NaN and ±∞ among them). */
const wavFile = fc
  .record({
    format: fc.constantFrom(1, 3, 2, 0xfffe),
    channels: fc.integer({ min: 0, max: 4 }),
    sampleRate: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 200_000 })),
    bits: fc.constantFrom(8, 16, 24, 32),
    samples: fc.array(fc.float({ noDefaultInfinity: false, noNaN: false }), { maxLength: 64 }),
  })
  .map(({ format, channels, sampleRate, bits, samples }) => {
    const data = new Uint8Array(new Float32Array(samples).buffer);
    const out = new Uint8Array(44 + data.length);
    const view = new DataView(out.buffer);
    const ascii = (at: number, text: string) => {
      for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
    };
    const block = (channels * bits) / 8;
    ascii(0, 'RIFF');
    view.setUint32(4, 36 + data.length, true);
    ascii(8, 'WAVE');
    ascii(12, 'fmt ');
    view.setUint32(16, 16, true);
    view.setUint16(20, format, true);
    view.setUint16(22, channels, true);
    view.setUint32(24, sampleRate, true);
    view.setUint32(28, sampleRate * block, true);
    view.setUint16(32, block, true);
    view.setUint16(34, bits, true);
    ascii(36, 'data');
    view.setUint32(40, data.length, true);
    out.set(data, 44);
    return out;
  });

describe('the readers', () => {
  it('decodeWav: a DataError or finite, non-empty, bounded audio', () => {
    const bytes = fc.oneof(wavFile, fc.uint8Array({ maxLength: 96 }));
    fc.assert(
      fc.property(bytes, (wav) => {
        try {
          const audio = decodeWav(wav, 'fuzz.wav', { sampleRate: 16000, maxSeconds: 30 });
          expect(audio.samples.length).toBeGreaterThan(0);
          expect(audio.samples.length).toBeLessThanOrEqual(30 * 16000 + 1);
          expect(audio.samples.every(Number.isFinite)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          expect((error as DataError).file).toBe('fuzz.wav');
        }
      }),
      runs(200),
    );
  });

  it('readTsvPairs and readJsonlPairs: a DataError naming file and line, or pairs of text', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const lines = fc.array(
      fc.oneof(
        text,
        fc.tuple(text, text).map(([a, b]) => `${a}\t${b}`),
      ),
      {
        maxLength: 6,
      },
    );
    await fc.assert(
      fc.asyncProperty(lines, fc.boolean(), async (content, asJson) => {
        const file = join(ws.dir, asJson ? 'fuzz.jsonl' : 'fuzz.tsv');
        const body = asJson
          ? content.map((l) => (l.includes('\t') ? JSON.stringify({ text: l, summary: l }) : l))
          : content;
        writeFileSync(file, body.join('\n'));
        try {
          const read = asJson ? readJsonlPairs(file) : readTsvPairs(file);
          for await (const pair of read) {
            expect(typeof pair.source).toBe('string');
            expect(typeof pair.target).toBe('string');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          expect((error as DataError).file).toBe(file);
        }
      }),
      runs(100),
    );
  });
});

describe('the config loader', () => {
  it('any JSON: typed error or settings, and never a polluted prototype', async () => {
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({
        training: fc.dictionary(
          fc.constantFrom('epochs', 'batchSize', 'seed', 'learningRate', 'nonFinite', 'bogus'),
          fc.jsonValue({ maxDepth: 1 }),
        ),
      }),
      fc.constant({ __proto__: { polluted: true } }),
    );
    const raw = fc.oneof(
      json.map((v) => JSON.stringify(v)),
      fc.constantFrom('{"__proto__": {"polluted": 1}}', '{"constructor": {"prototype": {"x": 1}}}'),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (text) => {
        const file = join(ws.dir, 'fuzz-config.json');
        await writeFile(file, text);
        try {
          const settings = mergeSettings(toyReverseTask.defaults, await readConfigFile(file));
          trainingSettings(settings);
        } catch (error) {
          expect(error instanceof S2SError || (error as Error).name === 'CliError').toBe(true);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      runs(150),
    );
  });
});

describe('the model loader', () => {
  it('a damaged or hostile model folder: CheckpointError, or the very same weights', async () => {
    const good = join(ws.dir, 'run', 'model');
    const reference = await loadModel(good);
    const weights = [...reference.model.parameters()].map(([k, v]) => [k, [...v.dataSync()]]);
    reference.model.dispose();
    const files = (await readdir(good)).sort();
    const damage = fc.record({
      file: fc.constantFrom(...files),
      kind: fc.constantFrom('flip', 'truncate', 'escape', 'reseal-flip'),
      at: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ file, kind, at }) => {
        const dir = join(ws.dir, 'fuzz-model');
        await rm(dir, { recursive: true, force: true });
        await cp(good, dir, { recursive: true });
        const path = join(dir, file);
        const bytes = await readFile(path);
        if (kind === 'truncate') await writeFile(path, bytes.subarray(0, at % bytes.length));
        else if (kind === 'escape') {
          const manifest = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8'));
          manifest[0].paths = [['../model/weights.bin', '/dev/zero', '/etc/passwd'][at % 3]];
          await writeFile(join(dir, 'weights.json'), JSON.stringify(manifest));
          await sealFolder(dir);
        } else {
          bytes[at % bytes.length]! ^= 1 << (at % 8);
          await writeFile(path, bytes);
          if (kind === 'reseal-flip' && file !== 'checksums.json') await sealFolder(dir);
        }
        try {
          const loaded = await loadModel(dir);
          const again = [...loaded.model.parameters()].map(([k, v]) => [k, [...v.dataSync()]]);
          loaded.model.dispose();
          // Only a flip the checksums were recomputed over can load, and it must not be NaN.
          expect(kind === 'reseal-flip' || again).toBeTruthy();
          for (const [, values] of again) {
            expect((values as number[]).every(Number.isFinite)).toBe(true);
          }
          if (kind !== 'reseal-flip') expect(again).toEqual(weights);
        } catch (error) {
          if (!(error instanceof CheckpointError)) throw error;
        }
      }),
      runs(60),
    );
  });
});

describe("s2s decode's input", () => {
  it('one line of error and a non-zero exit, or one output per input line', async () => {
    const line = fc.oneof(
      fc.stringMatching(/^[0-9]{1,8}$/),
      fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replaceAll(/[\r\n]/g, '')),
    );
    const input = fc.oneof(
      fc.array(line, { maxLength: 4 }).map((ls) => ls.join('\n')),
      fc.constantFrom('', '\n', '\0', 'RIFF\0\0\0\0WAVEfmt '),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), async (text, viaFile) => {
        await writeFile(join(ws.dir, 'fuzz-input'), text);
        const args = ['decode', 'run', ...(viaFile ? ['fuzz-input'] : []), ...toyFlags];
        const r = await runCli(args, { cwd: ws.dir, ...(viaFile ? {} : { stdin: text }) });
        expect(r.stderr).not.toContain('internal error');
        if (r.status === 0) {
          const inputs = text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
          expect(r.stdout.split('\n')).toHaveLength(inputs.length + 1);
        } else {
          const errors = r.stderr.split('\n').filter((l) => l.startsWith('s2s: error: '));
          expect(errors).toHaveLength(1);
          expect(r.stderr).not.toMatch(/^\s+at /m);
        }
      }),
      runs(40),
    );
  });
});
