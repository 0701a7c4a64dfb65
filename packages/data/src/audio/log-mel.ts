import { parseOptions } from '@s2s/core';
import FFT from 'fft.js';
import { z } from 'zod';
import { DataError } from '../errors/data-error.js';
import type { Features } from './features.js';
import { type MelFilters, melFilters } from './mel.js';

/** Options of {@link LogMelFilterBank}. */
export interface LogMelOptions {
  /** Sample rate of the audio it will see, in Hz. */
  readonly sampleRate: number;
  /** Analysis window length. Default 25 ms. */
  readonly windowMs?: number;
  /** Step between frames. Default 10 ms. */
  readonly hopMs?: number;
  /** Mel filters, F. Default 40. */
  readonly melBins?: number;
  /** FFT length; default the next power of two ≥ the window, which is zero-padded to it. */
  readonly fftSize?: number;
  /** Lowest filter edge. Default 0 Hz. */
  readonly fMin?: number;
  /** Highest filter edge. Default sampleRate / 2. */
  readonly fMax?: number;
  /** Pre-emphasis coefficient a in x_t − a·x_{t−1}. Default 0.97; 0 turns it off. */
  readonly preEmphasis?: number;
  /** Window function. Default `hann` (periodic). */
  readonly window?: 'hann' | 'hamming';
  /** Energies are floored here before the log, so silence stays finite. Default 1e-10. */
  readonly floor?: number;
}

const milliseconds = z.number().min(0.1).max(1000);

/** The options of {@link LogMelFilterBank}, with their defaults and the rules between them. */
export const logMelOptions = z
  .strictObject({
    sampleRate: z.int().positive().describe('Sample rate of the audio it will see, in Hz'),
    windowMs: milliseconds.default(25).describe('Analysis window length, in ms'),
    hopMs: milliseconds.default(10).describe('Step between frames, in ms'),
    melBins: z.int().positive().default(40).describe('Mel filters, F'),
    fftSize: z
      .int()
      .min(4)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
      .optional()
      .describe('FFT length; default the next power of two ≥ the window, zero-padded to it'),
    fMin: z.number().min(0).default(0).describe('Lowest filter edge, in Hz'),
    fMax: z
      .number()
      .positive()
      .optional()
      .describe('Highest filter edge, in Hz. Default sampleRate / 2'),
    preEmphasis: z
      .number()
      .min(0)
      .max(1)
      .default(0.97)
      .describe('Pre-emphasis coefficient a in x_t − a·x_{t−1}; 0 turns it off'),
    window: z.enum(['hann', 'hamming']).default('hann').describe('Window function (periodic)'),
    floor: z
      .number()
      .positive()
      .max(1)
      .default(1e-10)
      .describe('Energies are floored here before the log, so silence stays finite'),
  })
  .superRefine((o, ctx) => {
    const nyquist = o.sampleRate / 2;
    const window = windowLength(o.sampleRate, o.windowMs);
    if (window < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['sampleRate'],
        message: `too low for a window of windowMs ${o.windowMs} to span one sample`,
      });
    } else if (o.fftSize !== undefined && o.fftSize < window) {
      ctx.addIssue({
        code: 'custom',
        path: ['fftSize'],
        message: `must be at least the window (windowMs ${o.windowMs} at sampleRate ${o.sampleRate} is ${window} samples)`,
      });
    }
    if (o.fMax !== undefined && o.fMax > nyquist) {
      ctx.addIssue({
        code: 'custom',
        path: ['fMax'],
        message: `must be at most sampleRate / 2 (${nyquist} Hz)`,
      });
    } else if (o.fMin >= (o.fMax ?? nyquist)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fMin'],
        message: `must be below fMax (${o.fMax ?? `sampleRate / 2 = ${nyquist}`} Hz)`,
      });
    }
  });

/**
 * Log mel filter-bank features. Audio is cut into frames of `windowMs` every `hopMs`
 * (frames = 1 + ⌊(n − N)/hop⌋, N the window length; shorter audio gives one zero-padded
 * frame), each frame pre-emphasised and windowed, its power spectrum |X_k|² taken by a
 * real FFT (`fft.js`), summed through triangular mel filters (HTK scale) and logged:
 * feature m of frame s is log(max(Σ_k H_mk |X_k|², floor)).
 */
export class LogMelFilterBank {
  /** Window length N, in samples. */
  readonly windowLength: number;
  /** Hop, in samples. */
  readonly hopLength: number;
  readonly fftSize: number;
  readonly melBins: number;
  readonly sampleRate: number;
  readonly filters: MelFilters;
  private readonly window: Float64Array;
  private readonly preEmphasis: number;
  private readonly floor: number;
  private readonly fft: FFT;

  constructor(options: LogMelOptions) {
    const o = parseOptions('log-mel filter bank', logMelOptions, options);
    this.sampleRate = o.sampleRate;
    this.windowLength = windowLength(o.sampleRate, o.windowMs);
    this.hopLength = Math.max(1, Math.round((o.hopMs * this.sampleRate) / 1000));
    this.fftSize = o.fftSize ?? 2 ** Math.ceil(Math.log2(Math.max(4, this.windowLength)));
    this.melBins = o.melBins;
    const { fMin, fMax = this.sampleRate / 2 } = o;
    this.preEmphasis = o.preEmphasis;
    this.floor = o.floor;
    const shape = o.window;
    // Periodic windows (as torch.hann_window): w_n = a − (1 − a)·cos(2πn/N).
    const a = shape === 'hann' ? 0.5 : 0.54;
    this.window = Float64Array.from(
      { length: this.windowLength },
      (_, n) => a - (1 - a) * Math.cos((2 * Math.PI * n) / this.windowLength),
    );
    this.filters = melFilters(this.melBins, this.fftSize, this.sampleRate, fMin, fMax);
    this.fft = new FFT(this.fftSize);
  }

  /** Number of frames S for `samples` samples of audio. */
  frameCount(samples: number): number {
    return samples <= this.windowLength
      ? 1
      : 1 + Math.floor((samples - this.windowLength) / this.hopLength);
  }

  /** Features `[S, F]` of mono audio at the filter bank's sample rate. */
  compute(samples: Float32Array, source = '<audio>'): Features {
    if (samples.length === 0)
      throw new DataError({ file: source }, 'no audio samples (empty recording)');
    const { windowLength: n, fftSize, melBins, filters } = this;
    const frames = this.frameCount(samples.length);
    const data = new Float32Array(frames * melBins);
    const frame = new Float64Array(fftSize);
    const spectrum = this.fft.createComplexArray() as number[];
    const power = new Float64Array(filters.bins);
    for (let s = 0; s < frames; s++) {
      const start = s * this.hopLength;
      frame.fill(0);
      for (let i = 0; i < n && start + i < samples.length; i++) {
        // Pre-emphasis within the frame; the first sample is emphasised against itself.
        const x = samples[start + i]!;
        const previous = i > 0 ? samples[start + i - 1]! : x;
        frame[i] = (x - this.preEmphasis * previous) * this.window[i]!;
      }
      this.fft.realTransform(spectrum, frame);
      for (let k = 0; k < filters.bins; k++) {
        power[k] = spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2;
      }
      for (let m = 0; m < melBins; m++) {
        let energy = 0;
        const row = m * filters.bins;
        for (let k = 0; k < filters.bins; k++) energy += filters.weights[row + k]! * power[k]!;
        data[s * melBins + m] = Math.log(Math.max(energy, this.floor));
      }
    }
    return { data, frames, features: melBins };
  }
}

/** Window length N in samples of `windowMs` at `sampleRate`. */
function windowLength(sampleRate: number, windowMs: number): number {
  return Math.round((windowMs * sampleRate) / 1000);
}
