import { ConfigError, knownOptions, numberIn, Rng } from '@s2s/core';
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

const defaults = {
  frequencyMasks: 2,
  frequencyMaskWidth: 8,
  timeMasks: 2,
  timeMaskWidth: 20,
  timeMaskRatio: 0.2,
  maskValue: 0,
} as const;

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
  knownOptions('specAugment', options, Object.keys(defaults));
  const o = { ...defaults, ...options };
  for (const name of [
    'frequencyMasks',
    'frequencyMaskWidth',
    'timeMasks',
    'timeMaskWidth',
  ] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 0) {
      throw new ConfigError(
        `specAugment: option '${name}' must be a non-negative integer, got ${JSON.stringify(o[name])}`,
      );
    }
  }
  const ratio = numberIn('specAugment', 'timeMaskRatio', o.timeMaskRatio, 0, 1);
  numberIn('specAugment', 'maskValue', o.maskValue, -Infinity, Infinity);
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
