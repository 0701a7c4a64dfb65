import { knownOptions, positiveInt } from '@s2s/core';
import { type Features, LogMelFilterBank, normalizeUtterance } from '@s2s/data';

/** Options of {@link SpeechFeatures}. */
export interface SpeechFeatureOptions {
  /** Audio is resampled to this rate before analysis, in Hz. Default 8000 (FSDD's rate). */
  readonly sampleRate?: number;
  /** Mel filters per frame. Default 40. */
  readonly melBins?: number;
  /** Analysis window. Default 25 ms. */
  readonly windowMs?: number;
  /** Step between frames. Default 10 ms. */
  readonly hopMs?: number;
  /**
   * Consecutive frames stacked into one, without overlap (Sak et al. 2015's low frame
   * rate): S/k frames of k·F features. Default 1 (off).
   */
  readonly stack?: number;
}

/** Defaults of {@link SpeechFeatureOptions}. */
export const featureDefaults = {
  sampleRate: 8000,
  melBins: 40,
  windowMs: 25,
  hopMs: 10,
  stack: 1,
} as const;

/**
 * The speech front end: log-mel filter banks of the audio, normalised per utterance to
 * mean 0 and variance 1 in each mel band (which removes a recording's loudness and
 * channel), optionally stacked k frames to one.
 */
export class SpeechFeatures {
  readonly options: Required<SpeechFeatureOptions>;
  /** Features per (stacked) frame, F. */
  readonly size: number;
  /** Milliseconds of audio per (stacked) frame. */
  readonly frameMs: number;
  private readonly bank: LogMelFilterBank;

  constructor(options: SpeechFeatureOptions = {}) {
    knownOptions('speech features', options, Object.keys(featureDefaults));
    const o = { ...featureDefaults, ...options };
    positiveInt('speech features', 'stack', o.stack);
    this.bank = new LogMelFilterBank({
      sampleRate: o.sampleRate,
      melBins: o.melBins,
      windowMs: o.windowMs,
      hopMs: o.hopMs,
    });
    this.options = o;
    this.size = o.melBins * o.stack;
    this.frameMs = o.hopMs * o.stack;
  }

  /** `[S, F]` features of mono samples at {@link SpeechFeatureOptions.sampleRate}. */
  compute(samples: Float32Array): Features {
    const normal = normalizeUtterance(this.bank.compute(samples));
    return stackFrames(normal, this.options.stack);
  }
}

/** Stacks k consecutive frames into one: ⌈S/k⌉ frames of k·F features, the last zero-padded. */
export function stackFrames(features: Features, k: number): Features {
  if (k === 1) return features;
  const { frames, features: f } = features;
  const out = Math.ceil(frames / k);
  const data = new Float32Array(out * k * f);
  data.set(features.data.subarray(0, frames * f));
  return { data, frames: out, features: k * f };
}
