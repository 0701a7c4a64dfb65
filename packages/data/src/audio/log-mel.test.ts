import { ConfigError, Rng } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { DataError } from '../errors/data-error.js';
import { readWav } from '../node/read-wav.js';
import { LogMelFilterBank } from './log-mel.js';

const rate = 16000;
const melBins = 40;
// The textbook definitions, written out here independently of the implementation.
const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
const edge = (i: number) => hz((i * mel(rate / 2)) / (melBins + 1));
const triangle = (m: number, f: number) =>
  Math.max(
    0,
    Math.min(
      (f - edge(m)) / (edge(m + 1) - edge(m)),
      (edge(m + 2) - f) / (edge(m + 2) - edge(m + 1)),
    ),
  );

/** log Σ_k H_mk |X_k|² of one frame, with |X_k|² from a direct O(N²) DFT. */
function directLogMel(frame: Float64Array, fftSize: number): number[] {
  const n = frame.length;
  const power: number[] = [];
  for (let k = 0; k <= fftSize / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / n); // periodic Hann
      re += frame[t]! * w * Math.cos((2 * Math.PI * k * t) / fftSize);
      im -= frame[t]! * w * Math.sin((2 * Math.PI * k * t) / fftSize);
    }
    power.push(re * re + im * im);
  }
  return Array.from({ length: melBins }, (_, m) =>
    Math.log(power.reduce((sum, p, k) => sum + triangle(m, (k * rate) / fftSize) * p, 0)),
  );
}

describe('LogMelFilterBank', () => {
  const bank = new LogMelFilterBank({ sampleRate: rate, melBins, preEmphasis: 0 });

  it('frames 25 ms windows every 10 ms into a 512-point FFT', () => {
    expect([bank.windowLength, bank.hopLength, bank.fftSize]).toEqual([400, 160, 512]);
    expect(bank.frameCount(16000)).toBe(1 + Math.floor((16000 - 400) / 160));
    expect(bank.frameCount(100)).toBe(1);
    for (let m = 0; m < melBins; m++) expect(bank.filters.centers[m]).toBeCloseTo(edge(m + 1), 6);
  });

  it('puts a pure tone at a filter centre in that filter, in every frame', () => {
    for (const m of [3, 17, 30]) {
      const f = edge(m + 1);
      const sine = Float32Array.from(
        { length: 8000 },
        (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / rate),
      );
      const { data, frames, features } = bank.compute(sine);
      expect(features).toBe(melBins);
      for (let s = 0; s < frames; s++) {
        const row = Array.from(data.subarray(s * melBins, (s + 1) * melBins));
        expect(row.indexOf(Math.max(...row))).toBe(m);
      }
    }
  });

  it('matches a direct DFT through hand-built triangular filters', () => {
    const rng = new Rng(5);
    const n = 1200;
    const x = Float32Array.from(
      { length: n },
      (_, i) =>
        0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) +
        0.2 * Math.sin((2 * Math.PI * 3100 * i) / rate) +
        0.05 * (rng.next() - 0.5),
    );
    const { data, frames } = bank.compute(x);
    expect(frames).toBe(6);
    for (const s of [0, 3, 5]) {
      const frame = Float64Array.from(x.subarray(s * 160, s * 160 + 400));
      const expected = directLogMel(frame, 512);
      expected.forEach((v, m) => expect(data[s * melBins + m]).toBeCloseTo(v, 3));
    }
  });

  it('pre-emphasises each frame as x_t − a·x_{t−1}', () => {
    const emphasised = new LogMelFilterBank({ sampleRate: rate, melBins, preEmphasis: 0.97 });
    const rng = new Rng(9);
    const x = Float32Array.from({ length: 400 }, () => rng.next() - 0.5);
    const y = Float64Array.from(x, (v, i) => v - 0.97 * (i > 0 ? x[i - 1]! : v));
    const expected = directLogMel(y, 512);
    const { data } = emphasised.compute(x);
    expected.forEach((v, m) => expect(data[m]).toBeCloseTo(v, 3));
  });

  it('gives finite features for a shipped FSDD recording, and floors silence', async () => {
    const audio = await readWav(fixture('fsdd/3_theo_1.wav'));
    const fsdd = new LogMelFilterBank({ sampleRate: audio.sampleRate, melBins: 23 });
    const { data, frames } = fsdd.compute(audio.samples);
    expect(frames).toBe(1 + Math.floor((audio.samples.length - 200) / 80));
    expect(data.every(Number.isFinite)).toBe(true);
    const silent = bank.compute(new Float32Array(400));
    expect([...silent.data]).toEqual(new Array(melBins).fill(Math.fround(Math.log(1e-10))));
  });

  it('rejects empty audio and bad options', () => {
    expect(() => bank.compute(new Float32Array(0), 'a.wav')).toThrow(DataError);
    expect(() => bank.compute(new Float32Array(0), 'a.wav')).toThrow(/a\.wav: no audio samples/);
    expect(() => new LogMelFilterBank({ sampleRate: rate, fftSize: 300 })).toThrow(ConfigError);
    expect(() => new LogMelFilterBank({ sampleRate: rate, fftSize: 300 })).toThrow(
      /option 'fftSize': must be a power of two, got 300/,
    );
    // 25 ms at 16 kHz is a 400-sample window: 256 points cannot hold it.
    expect(() => new LogMelFilterBank({ sampleRate: rate, fftSize: 256 })).toThrow(
      /option 'fftSize': must be at least the window \(windowMs 25 at sampleRate 16000 is 400 samples\), got 256/,
    );
    expect(() => new LogMelFilterBank({ sampleRate: rate, fMax: 9000 })).toThrow(
      /option 'fMax': must be at most sampleRate \/ 2 \(8000 Hz\), got 9000/,
    );
    expect(() => new LogMelFilterBank({ sampleRate: rate, fMin: 500, fMax: 400 })).toThrow(
      /option 'fMin': must be below fMax \(400 Hz\), got 500/,
    );
    expect(() => new LogMelFilterBank({ sampleRate: rate, melbins: 4 } as never)).toThrow(
      /unknown option 'melbins' \(did you mean 'melBins'\?\)/,
    );
    expect(() => new LogMelFilterBank({} as never)).toThrow(/option 'sampleRate' is required/);
    expect(() => new LogMelFilterBank({ sampleRate: 10 })).toThrow(
      /option 'sampleRate': too low for a window of windowMs 25 to span one sample, got 10/,
    );
  });
});
