import { parseOptions, Rng, ShapeError } from '@s2s/core';
import type { Features } from '@s2s/data';
import { z } from 'zod';

/** Options of {@link perturbFeatures}. */
export interface PerturbOptions {
  /**
   * Largest vocal-tract warp |α − 1|: the spectrum is scaled in frequency by α, drawn
   * uniformly from [1 − warp, 1 + warp]. Default 0.1.
   */
  readonly warp?: number;
  /**
   * Largest tempo change |β − 1|: the utterance is played β times as fast, β drawn
   * uniformly from [1 − stretch, 1 + stretch]. Default 0.1.
   */
  readonly stretch?: number;
}

/** Defaults of {@link PerturbOptions}. */
export const perturbDefaults = { warp: 0.1, stretch: 0.1 } as const;

const share = z.number().min(0).max(0.5);

/** The options of {@link perturbFeatures}, with their defaults. */
export const perturbOptions = z.strictObject({
  warp: share
    .default(perturbDefaults.warp)
    .describe('Largest vocal-tract warp |α − 1|: the spectrum is scaled in frequency by α'),
  stretch: share
    .default(perturbDefaults.stretch)
    .describe('Largest tempo change |β − 1|: the utterance is played β times as fast'),
});

/**
 * Speaker and tempo perturbation of log-mel features, a feature-space stand-in for speed
 * perturbation (Ko et al. 2015) and vocal tract length perturbation (Jaitly & Hinton
 * 2013), which help most when there are few training speakers. Band m, centred on f_m
 * Hz, takes the value the input has at f_m / α (linear interpolation between the bands
 * whose centres are `centers`); output frame t takes the input at time t·β, so an
 * utterance of n frames becomes round(n / β). A pure function of `seed`.
 */
export function perturbFeatures(
  features: Features,
  centers: Float64Array,
  seed: number,
  options: PerturbOptions = {},
): Features {
  const o = parseOptions('perturb', perturbOptions, options);
  const rng = new Rng(seed);
  const alpha = 1 + o.warp * (2 * rng.next() - 1);
  const beta = 1 + o.stretch * (2 * rng.next() - 1);
  return warpAndStretch(features, centers, alpha, beta);
}

/** {@link perturbFeatures} with the warp α and tempo β given. */
export function warpAndStretch(
  features: Features,
  centers: Float64Array,
  alpha: number,
  beta: number,
): Features {
  const m = centers.length;
  if (features.features !== m) {
    throw new ShapeError('perturbed features', `${m} bands per frame`, `${features.features}`);
  }
  const n = features.frames;
  const x = features.data;
  // Where each output band reads the input, as a fractional band index.
  const from = Array.from(centers, (f) => bandIndex(centers, f / alpha));
  const frames = Math.max(1, Math.round(n / beta));
  const out = new Float32Array(frames * m);
  for (let t = 0; t < frames; t++) {
    const s = Math.min(t * beta, n - 1);
    const s0 = Math.floor(s);
    const s1 = Math.min(s0 + 1, n - 1);
    const ws = s - s0;
    for (let b = 0; b < m; b++) {
      const p = from[b]!;
      const p0 = Math.floor(p);
      const p1 = Math.min(p0 + 1, m - 1);
      const wp = p - p0;
      const at = (row: number) => (1 - wp) * x[row * m + p0]! + wp * x[row * m + p1]!;
      out[t * m + b] = (1 - ws) * at(s0) + ws * at(s1);
    }
  }
  return { data: out, frames, features: m };
}

/** The fractional index of frequency `f` among increasing band centres, clamped to the ends. */
function bandIndex(centers: Float64Array, f: number): number {
  const last = centers.length - 1;
  if (f <= centers[0]!) return 0;
  if (f >= centers[last]!) return last;
  let i = 0;
  while (centers[i + 1]! < f) i++;
  return i + (f - centers[i]!) / (centers[i + 1]! - centers[i]!);
}
