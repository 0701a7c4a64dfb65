import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { collect, tempFile, wavBytes } from '../../test/helpers.js';
import { DataError } from '../errors/data-error.js';
import { readWav, readWavFiles } from '../node/read-wav.js';
import { decodeWav } from './wav.js';

const george = fixture('fsdd/0_george_0.wav');

describe('decodeWav', () => {
  it('decodes 16-bit PCM to floats, sample for sample', async () => {
    const bytes = readFileSync(george);
    // Parse the canonical header by hand: `data` at byte 36, little-endian int16 after byte 44.
    expect(bytes.toString('latin1', 36, 40)).toBe('data');
    const n = bytes.readUInt32LE(40) / 2;
    const audio = await readWav(george);
    expect(audio.sampleRate).toBe(8000);
    expect(audio.channels).toBe(1);
    expect(audio.samples).toHaveLength(n);
    const expected = Float32Array.from(
      { length: n },
      (_, i) => bytes.readInt16LE(44 + 2 * i) / 32768,
    );
    expect(audio.samples).toEqual(expected);
  });

  it('mixes stereo down by averaging, and reads 8-bit unsigned and float PCM', () => {
    const stereo = new Int16Array([16384, -8192, 0, 32767]); // (0.5, −0.25), (0, ~1)
    const s = decodeWav(
      wavBytes(
        { format: 1, channels: 2, sampleRate: 16000, bits: 16 },
        new Uint8Array(stereo.buffer),
      ),
    );
    expect(s.channels).toBe(2);
    expect([...s.samples]).toEqual([0.125, 32767 / 65536]);
    const eight = decodeWav(
      wavBytes(
        { format: 1, channels: 1, sampleRate: 8000, bits: 8 },
        new Uint8Array([128, 192, 0]),
      ),
    );
    expect([...eight.samples]).toEqual([0, 0.5, -1]);
    const floats = new Float32Array([0.25, -0.75]);
    const f = decodeWav(
      wavBytes(
        { format: 3, channels: 1, sampleRate: 8000, bits: 32 },
        new Uint8Array(floats.buffer),
      ),
    );
    expect([...f.samples]).toEqual([0.25, -0.75]);
  });

  it('resamples on request', async () => {
    const audio = await readWav(george, { sampleRate: 16000 });
    expect(audio.sampleRate).toBe(16000);
    expect(audio.samples).toHaveLength(2 * (await readWav(george)).samples.length);
  });

  it('fails with the file named on a non-WAV file, a non-PCM encoding or no samples', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'notes.wav',
        new TextEncoder().encode('just some text, not audio'),
        /notes\.wav: not a WAV file/,
      ],
      ['summaries.jsonl', readFileSync(fixture('summaries.jsonl')), /not a WAV file/],
      [
        'alaw.wav',
        wavBytes({ format: 6, channels: 1, sampleRate: 8000, bits: 8 }, new Uint8Array([213, 85])),
        /alaw\.wav: WAV encoding A-law \(8 bits\) is not PCM/,
      ],
      [
        'adpcm.wav',
        wavBytes({ format: 17, channels: 1, sampleRate: 8000, bits: 4 }, new Uint8Array(256)),
        /WAV encoding IMA ADPCM \(4 bits\) is not PCM/,
      ],
      [
        'empty.wav',
        wavBytes({ format: 1, channels: 1, sampleRate: 8000, bits: 16 }, new Uint8Array(0)),
        /empty\.wav: no audio samples/,
      ],
      [
        'headless.wav',
        new TextEncoder().encode('RIFF\x04\x00\x00\x00WAVE'),
        /headless\.wav: unreadable WAV file/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const error = await readWav(tempFile(name, bytes)).catch((e) => e);
      expect(error, name).toBeInstanceOf(DataError);
      expect(error.message).toMatch(message);
    }
    await expect(readWav('/nonexistent/x.wav')).rejects.toThrow('/nonexistent/x.wav: no such file');
  });
});

describe('readWavFiles', () => {
  it('streams the .wav files of a directory in name order', async () => {
    const files = await collect(readWavFiles(dirname(george)));
    expect(files.map((f) => f.file.split('/').at(-1))).toEqual([
      '0_george_0.wav',
      '3_theo_1.wav',
      '7_jackson_0.wav',
    ]);
    expect(files.every((f) => f.sampleRate === 8000 && f.samples.length > 1000)).toBe(true);
  });
});

describe('decodeWav options', () => {
  const bytes = wavBytes(
    { format: 3, channels: 1, sampleRate: 16000, bits: 32 },
    new Uint8Array(new Float32Array([0.5, -0.5]).buffer),
  );

  it('are checked before the file is read: a typo gets a suggestion, a bad value its name', () => {
    expect(() => decodeWav(bytes, 'a.wav', { sampleRte: 8000 } as never)).toThrow(
      /decodeWav: unknown option 'sampleRte' \(did you mean 'sampleRate'\?\)/,
    );
    expect(() => decodeWav(bytes, 'a.wav', { maxSeconds: -1 })).toThrow(
      /decodeWav: option 'maxSeconds': .*>=0, got -1/,
    );
    expect(() => decodeWav(new Uint8Array(3), 'a.wav', { sampleRate: 0 })).toThrow(ConfigError);
    expect(decodeWav(bytes, 'a.wav', { maxSeconds: 1 }).samples).toEqual(
      new Float32Array([0.5, -0.5]),
    );
  });
});

describe('decodeWav refuses what would hang, crash or poison training', () => {
  const float = (
    values: number[],
    header: Partial<{ channels: number; sampleRate: number }> = {},
  ) =>
    wavBytes(
      { format: 3, channels: 1, sampleRate: 16000, bits: 32, ...header },
      new Uint8Array(new Float32Array(values).buffer),
    );
  const problemOf = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).file).toBe('clip.wav');
      return (error as DataError).problem;
    }
    throw new Error('expected a DataError');
  };

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('a float sample %s is a DataError naming the file', (bad, shown) => {
    expect(problemOf(() => decodeWav(float([0, 0.5, bad, 0]), 'clip.wav'))).toBe(
      `sample 2 (at 0.000 s) is ${shown}; expected finite audio samples`,
    );
  });

  it('a recording too short to leave a sample after resampling (found by the property suite)', () => {
    const one = wavBytes(
      { format: 1, channels: 1, sampleRate: 32001, bits: 16 },
      new Uint8Array(2),
    );
    expect(problemOf(() => decodeWav(one, 'clip.wav', { sampleRate: 16000 }))).toBe(
      '1 frames at 32001 Hz give no sample at 16000 Hz; the recording is too short',
    );
  });

  it('a header with zero channels or a zero sample rate', () => {
    expect(problemOf(() => decodeWav(float([0.1], { channels: 0 }), 'clip.wav'))).toMatch(
      /declares 0 channels; expected at least 1/,
    );
    expect(problemOf(() => decodeWav(float([0.1], { sampleRate: 0 }), 'clip.wav'))).toMatch(
      /sample rate of 0 Hz/,
    );
  });

  it('judges the duration from the header before resampling: 1 Hz is 1000 s here', () => {
    const bytes = float(
      Array.from({ length: 1000 }, () => 0.1),
      { sampleRate: 1 },
    );
    expect(
      problemOf(() => decodeWav(bytes, 'clip.wav', { sampleRate: 16000, maxSeconds: 30 })),
    ).toBe('1000.0 s of audio (1000 frames at 1 Hz); at most 30 s accepted');
    // Within the limit the same recording decodes.
    expect(decodeWav(bytes, 'clip.wav', { maxSeconds: 1000 }).samples).toHaveLength(1000);
  });
});
