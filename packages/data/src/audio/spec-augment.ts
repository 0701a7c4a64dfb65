import { parseOptions, Rng } from '@s2s/core';
import { z } from 'zod';
import type { Features } from './features.js';

/** Options of {@link specAugment}. */
export interface SpecAugmentOptions {
  /** Number of frequency masks. Default 2. */
  readonly frequencyMasks?: number;
  /** Largest frequency-mask width F (features). Default 8. */
  readonly frequencyMaskWidth?: number;
  /** Number of time masks. Default 2. */
  readonly timeMasks?: number;
  /** Largest time-mask width T (frames). Default 20. */
  readonly timeMaskWidth?: number;
  /** A time mask covers at most this fraction p of the utterance. Default 0.2. */
  readonly timeMaskRatio?: number;
  /** What masked cells become. Default 0 (the mean, after per-utterance normalisation). */
  readonly maskValue?: number;
}

const count = z.int().nonnegative();

/** The options of {@link specAugment}, with their defaults. */
export const specAugmentOptions = z.strictObject({
  frequencyMasks: count.default(2).describe('Number of frequency masks'),
  frequencyMaskWidth: count.default(8).describe('Largest frequency-mask width F (features)'),
  timeMasks: count.default(2).describe('Number of time masks'),
  timeMaskWidth: count.default(20).describe('Largest time-mask width T (frames)'),
  timeMaskRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0.2)
    .describe('A time mask covers at most this fraction p of the utterance'),
  maskValue: z
    .number()
    .default(0)
    .describe('What masked cells become (0 is the mean after per-utterance normalisation)'),
});

/**
 * SpecAugment's masking (Park et al. 2019), without time warping: each frequency mask
 * sets features [f0, f0 + f) of every frame to `maskValue`, f uniform in [0, F] and f0 in
 * [0, ν − f]; each time mask sets frames [t0, t0 + t), t uniform in [0, min(T, p·τ)] and
 * t0 in [0, τ − t]. The masks depend only on `seed`, so an epoch can be replayed exactly.
 * Returns new features; the input is not changed.
 */
export function specAugment(
  features: Features,
  seed: number,
  options: SpecAugmentOptions = {},
): Features {
  const o = parseOptions('specAugment', specAugmentOptions, options);
  const ratio = o.timeMaskRatio;
  const { frames: tau, features: nu } = features;
  const data = features.data.slice();
  const rng = new Rng(seed);
  for (let i = 0; i < o.frequencyMasks; i++) {
    const f = rng.int(Math.min(o.frequencyMaskWidth, nu) + 1);
    const f0 = rng.int(nu - f + 1);
    for (let s = 0; s < tau; s++) data.fill(o.maskValue, s * nu + f0, s * nu + f0 + f);
  }
  const widest = Math.min(o.timeMaskWidth, Math.floor(ratio * tau));
  for (let i = 0; i < o.timeMasks; i++) {
    const t = rng.int(widest + 1);
    const t0 = rng.int(tau - t + 1);
    data.fill(o.maskValue, t0 * nu, (t0 + t) * nu);
  }
  return { data, frames: tau, features: nu };
}
