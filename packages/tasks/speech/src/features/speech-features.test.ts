import { Rng } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { tone } from '../../test/wav.js';
import { SpeechFeatures, stackFrames, unstackFrames } from './speech-features.js';

/**
 * Two tones one after the other, so the bands vary over time, over seeded white noise, so
 * no band is near the log floor.
 */
const rng = new Rng(7);
const audio = new Float32Array([...tone(500, 300, 8000), ...tone(1500, 200, 8000, 0.2)]).map(
  (x) => x + 0.05 * (rng.next() - 0.5),
);

describe('SpeechFeatures', () => {
  it('gives 1 + ⌊(n − N)/hop⌋ frames of melBins features', () => {
    const features = new SpeechFeatures({ melBins: 24 }).compute(audio);
    // 8 kHz: N = 25 ms = 200 samples, hop = 10 ms = 80 samples; n = 4000.
    expect(features.frames).toBe(1 + Math.floor((4000 - 200) / 80));
    expect(features.features).toBe(24);
    expect(features.data.length).toBe(features.frames * 24);
  });

  it('stacks k frames into one: ⌈S/k⌉ frames of k·F features, and reports the frame time', () => {
    const plain = new SpeechFeatures({ melBins: 16 });
    const stacked = new SpeechFeatures({ melBins: 16, stack: 3 });
    const a = plain.compute(audio);
    const b = stacked.compute(audio);
    expect(b.frames).toBe(Math.ceil(a.frames / 3));
    expect(b.features).toBe(48);
    expect([stacked.size, stacked.frameMs]).toEqual([48, 30]);
    // Stacked frame 2 holds plain frames 6, 7, 8 side by side.
    expect(Array.from(b.data.subarray(2 * 48, 3 * 48))).toEqual(
      Array.from(a.data.subarray(6 * 16, 9 * 16)),
    );
  });

  it('normalises each mel band to mean 0 and standard deviation 1 over the utterance', () => {
    const { data, frames, features } = new SpeechFeatures({ melBins: 20 }).compute(audio);
    for (let m = 0; m < features; m++) {
      const column = Array.from({ length: frames }, (_, s) => data[s * features + m]!);
      const mean = column.reduce((a, x) => a + x, 0) / frames;
      const sd = Math.sqrt(column.reduce((a, x) => a + (x - mean) ** 2, 0) / frames);
      expect(mean).toBeCloseTo(0, 4);
      expect(sd).toBeCloseTo(1, 3);
    }
  });

  it('ignores loudness: the same audio 20 dB quieter gives the same features', () => {
    const front = new SpeechFeatures();
    const loud = front.compute(audio);
    const quiet = front.compute(audio.map((x) => x / 10));
    let worst = 0;
    loud.data.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - quiet.data[i]!));
    });
    expect(worst).toBeLessThan(1e-3);
  });

  it('rejects unknown and bad options by name', () => {
    expect(() => new SpeechFeatures({ stack: 0 })).toThrow(
      /speech features: option 'stack': .*>0, got 0/,
    );
    expect(() => new SpeechFeatures({ melbins: 40 } as never)).toThrow(
      /unknown option 'melbins' \(did you mean 'melBins'\?\)/,
    );
    expect(() => new SpeechFeatures({ mels: 40 } as never)).toThrow(/unknown option 'mels'/);
    expect(() => new SpeechFeatures({ sampleRate: -1 })).toThrow(/'sampleRate'/);
  });
});

describe('SpeechFeatures.augment', () => {
  const front = new SpeechFeatures({ melBins: 20, stack: 3 });
  const clean = front.compute(audio);

  it('changes nothing with both steps off', () => {
    expect(front.augment(clean, 1, { perturb: false, specAugment: false })).toEqual(clean);
  });

  it('masks whole mel bands of every 10 ms frame, not slices of a stacked frame', () => {
    const masked = front.augment(clean, 4, {
      perturb: false,
      specAugment: { frequencyMasks: 1, frequencyMaskWidth: 20, timeMasks: 0 },
    });
    // A band masked in one 10 ms frame is masked in all of them, whichever stacked slot.
    const bands = Array.from({ length: 20 }, (_, m) =>
      Array.from({ length: masked.frames * 3 - 2 }, (_, t) => masked.data[t * 20 + m] === 0),
    );
    expect(bands.some((band) => band.every(Boolean))).toBe(true);
    for (const band of bands) expect(new Set(band).size).toBe(1);
  });

  it('keeps the stacked layout when the tempo changes, and replays for the same seed', () => {
    const options = { perturb: { warp: 0.1, stretch: 0.3 }, specAugment: false } as const;
    const lengths = new Set<number>();
    for (let seed = 0; seed < 10; seed++) {
      const out = front.augment(clean, seed, options);
      expect(out.features).toBe(60);
      expect(out.data.length).toBe(out.frames * 60);
      expect(front.augment(clean, seed, options)).toEqual(out);
      lengths.add(out.frames);
    }
    expect(lengths.size).toBeGreaterThan(1);
  });
});

describe('stackFrames', () => {
  it('concatenates consecutive frames and zero-pads the last (hand-worked)', () => {
    const out = stackFrames(
      { data: Float32Array.from([1, 2, 3, 4, 5, 6]), frames: 3, features: 2 },
      2,
    );
    expect(out.frames).toBe(2);
    expect(out.features).toBe(4);
    expect(Array.from(out.data)).toEqual([1, 2, 3, 4, 5, 6, 0, 0]);
    expect(unstackFrames(out, 2)).toEqual({ data: out.data, frames: 4, features: 2 });
  });
});
