import { deriveSeed, parseOptions } from '@s2s/core';
import {
  type Features,
  LogMelFilterBank,
  normalizeUtterance,
  type SpecAugmentOptions,
  specAugment,
} from '@s2s/data';
import { z } from 'zod';
import { type PerturbOptions, perturbFeatures } from './perturb.js';

/** Training-time augmentation of {@link SpeechFeatures.augment}; `false` turns a step off. */
export interface AugmentOptions {
  readonly perturb: PerturbOptions | false;
  readonly specAugment: SpecAugmentOptions | false;
}

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

const milliseconds = z.number().min(0.1).max(1000);

/** The options of {@link SpeechFeatures}, with their defaults. */
export const speechFeatureOptions = z.strictObject({
  sampleRate: z
    .int()
    .positive()
    .default(featureDefaults.sampleRate)
    .describe("Audio is resampled to this rate before analysis, in Hz (FSDD's is 8000)"),
  melBins: z.int().positive().default(featureDefaults.melBins).describe('Mel filters per frame'),
  windowMs: milliseconds.default(featureDefaults.windowMs).describe('Analysis window, in ms'),
  hopMs: milliseconds.default(featureDefaults.hopMs).describe('Step between frames, in ms'),
  stack: z
    .int()
    .positive()
    .default(featureDefaults.stack)
    .describe('Consecutive frames stacked into one, without overlap (low frame rate); 1 is off'),
});

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
    const o = parseOptions('speech features', speechFeatureOptions, options);
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

  /**
   * Augments features this front end computed, for training: on the unstacked 10 ms
   * frames, a frequency warp and tempo change ({@link perturbFeatures}), then SpecAugment
   * masks, then stacked again. A pure function of `seed`.
   */
  augment(features: Features, seed: number, options: AugmentOptions): Features {
    let x = unstackFrames(features, this.options.stack);
    if (options.perturb !== false) {
      x = perturbFeatures(
        x,
        this.bank.filters.centers,
        deriveSeed(seed, 'perturb'),
        options.perturb,
      );
    }
    if (options.specAugment !== false) {
      x = specAugment(x, deriveSeed(seed, 'mask'), options.specAugment);
    }
    return stackFrames(x, this.options.stack);
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

/** Undoes {@link stackFrames}: k·S frames of F/k features (a padded last frame stays padded). */
export function unstackFrames(features: Features, k: number): Features {
  if (k === 1) return features;
  return { data: features.data, frames: features.frames * k, features: features.features / k };
}
