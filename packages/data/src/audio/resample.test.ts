import { describe, expect, it } from 'vitest';
import { resample } from './resample.js';

const tone = (hz: number, rate: number, n: number, amplitude = 0.5) =>
  Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));

/** Largest difference from `expected`, away from the edges (where the input stops). */
function maxError(actual: Float32Array, expected: Float32Array, edge: number): number {
  let worst = 0;
  for (let i = edge; i < actual.length - edge; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  return worst;
}

describe('resample', () => {
  it('upsamples a tone to the same tone at the new rate', () => {
    const out = resample(tone(440, 8000, 8000), 8000, 16000);
    expect(out).toHaveLength(16000);
    expect(maxError(out, tone(440, 16000, 16000), 200)).toBeLessThan(2e-3);
    // A non-integer ratio: 8 kHz → 11.025 kHz.
    const odd = resample(tone(1000, 8000, 8000), 8000, 11025);
    expect(odd).toHaveLength(11025);
    expect(maxError(odd, tone(1000, 11025, 11025), 300)).toBeLessThan(2e-3);
  });

  it('removes what the lower rate cannot hold when downsampling, instead of aliasing it', () => {
    // 6 kHz is above the 4 kHz Nyquist of 8 kHz audio; naive decimation would fold it to 2 kHz.
    const mixed = tone(1000, 16000, 16000);
    const high = tone(6000, 16000, 16000, 0.4);
    for (let i = 0; i < mixed.length; i++) mixed[i]! += high[i]!;
    const out = resample(mixed, 16000, 8000);
    expect(out).toHaveLength(8000);
    expect(maxError(out, tone(1000, 8000, 8000), 200)).toBeLessThan(5e-3);
  });

  it('returns a copy at the same rate, and rejects bad rates', () => {
    const x = tone(100, 8000, 10);
    const y = resample(x, 8000, 8000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resample(x, 0, 8000)).toThrow(/resample: option 'from': .*>0, got 0/);
    expect(() => resample(x, 8000, 44.1)).toThrow(/option 'to': .*expected int.*got 44\.1/);
    expect(() => resample(x, 8000, 8000, { rolloff: 2 })).toThrow(/option 'rolloff': .*<=1, got 2/);
    expect(() => resample(x, 8000, 8000, { zeroCrosings: 8 } as never)).toThrow(
      /unknown option 'zeroCrosings' \(did you mean 'zeroCrossings'\?\)/,
    );
  });
});
