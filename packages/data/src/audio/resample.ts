import { parseOptions } from '@s2s/core';
import { z } from 'zod';

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Zero crossings of the sinc kernel on each side. Default 16. */
  readonly zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency, below 1 to leave a transition band. Default 0.95. */
  readonly rolloff?: number;
}

/** The options of {@link resample}, with their defaults. */
export const resampleOptions = z.strictObject({
  zeroCrossings: z
    .int()
    .positive()
    .default(16)
    .describe('Zero crossings of the sinc kernel on each side'),
  rolloff: z
    .number()
    .min(0.01)
    .max(1)
    .default(0.95)
    .describe('Cutoff as a fraction of the lower Nyquist frequency, below 1 for a transition band'),
});

const rate = z.int().positive();

/**
 * Changes the sample rate of mono audio by band-limited interpolation: each output sample
 * at time t (in input samples, t = j·from/to) is Σ_i x_i·h(t − i), with h a Hann-windowed
 * sinc whose cutoff is `rolloff` × the lower of the two Nyquist frequencies, so
 * downsampling does not alias. Output length is round(n·to/from); samples outside the
 * input count as silence.
 */
export function resample(
  samples: Float32Array,
  from: number,
  to: number,
  options: ResampleOptions = {},
): Float32Array {
  parseOptions('resample', rate, from, 'from');
  parseOptions('resample', rate, to, 'to');
  const { zeroCrossings, rolloff } = parseOptions('resample', resampleOptions, options);
  if (from === to) return samples.slice();
  const n = samples.length;
  const out = new Float32Array(Math.round((n * to) / from));
  const scale = Math.min(1, to / from);
  // Cutoff in cycles per input sample, and the kernel's half-width in input samples.
  const cutoff = 0.5 * scale * rolloff;
  const halfWidth = zeroCrossings / (2 * cutoff);
  for (let j = 0; j < out.length; j++) {
    const t = (j * from) / to;
    const first = Math.max(0, Math.ceil(t - halfWidth));
    const last = Math.min(n - 1, Math.floor(t + halfWidth));
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const x = t - i;
      const window = 0.5 * (1 + Math.cos((Math.PI * x) / halfWidth));
      sum += samples[i]! * 2 * cutoff * sinc(2 * cutoff * x) * window;
    }
    out[j] = sum;
  }
  return out;
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}
