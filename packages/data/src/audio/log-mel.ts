import { ConfigError, knownOptions, numberIn, oneOf, positiveInt } from '@s2s/core';
import FFT from 'fft.js';
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

const defaults = {
  windowMs: 25,
  hopMs: 10,
  melBins: 40,
  fMin: 0,
  preEmphasis: 0.97,
  window: 'hann',
  floor: 1e-10,
} as const;

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
    const owner = 'log-mel filter bank';
    knownOptions(owner, options, [
      'sampleRate',
      'windowMs',
      'hopMs',
      'melBins',
      'fftSize',
      'fMin',
      'fMax',
      'preEmphasis',
      'window',
      'floor',
    ]);
    const o = { ...defaults, ...options };
    this.sampleRate = positiveInt(owner, 'sampleRate', o.sampleRate);
    const windowMs = numberIn(owner, 'windowMs', o.windowMs, 0.1, 1000);
    const hopMs = numberIn(owner, 'hopMs', o.hopMs, 0.1, 1000);
    this.windowLength = Math.round((windowMs * this.sampleRate) / 1000);
    this.hopLength = Math.max(1, Math.round((hopMs * this.sampleRate) / 1000));
    this.fftSize = o.fftSize ?? 2 ** Math.ceil(Math.log2(Math.max(2, this.windowLength)));
    if (
      positiveInt(owner, 'fftSize', this.fftSize) < this.windowLength ||
      (this.fftSize & (this.fftSize - 1)) !== 0 ||
      this.fftSize < 4
    ) {
      throw new ConfigError(
        `${owner}: option 'fftSize' must be a power of two ≥ 4 and ≥ the window (${this.windowLength} samples), got ${this.fftSize}`,
      );
    }
    this.melBins = positiveInt(owner, 'melBins', o.melBins);
    const nyquist = this.sampleRate / 2;
    const fMin = numberIn(owner, 'fMin', o.fMin, 0, nyquist);
    const fMax = numberIn(owner, 'fMax', o.fMax ?? nyquist, fMin, nyquist);
    if (fMax <= fMin) throw new ConfigError(`${owner}: fMax (${fMax}) must exceed fMin (${fMin})`);
    this.preEmphasis = numberIn(owner, 'preEmphasis', o.preEmphasis, 0, 1);
    this.floor = numberIn(owner, 'floor', o.floor, Number.MIN_VALUE, 1);
    const shape = oneOf(owner, 'window', o.window, ['hann', 'hamming']);
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
