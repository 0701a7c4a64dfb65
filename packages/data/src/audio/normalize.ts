import type { Features } from './features.js';

/**
 * Per-utterance mean and variance normalisation (CMVN): each feature is shifted and scaled
 * over the utterance's frames to mean 0 and standard deviation 1, which removes a
 * recording's channel and loudness. A feature constant over the utterance becomes 0.
 */
export function normalizeUtterance(features: Features, epsilon = 1e-8): Features {
  const { data, frames, features: f } = features;
  const out = new Float32Array(data.length);
  for (let j = 0; j < f; j++) {
    let mean = 0;
    for (let s = 0; s < frames; s++) mean += data[s * f + j]!;
    mean /= frames;
    let variance = 0;
    for (let s = 0; s < frames; s++) variance += (data[s * f + j]! - mean) ** 2;
    const scale = 1 / Math.max(Math.sqrt(variance / frames), epsilon);
    for (let s = 0; s < frames; s++) out[s * f + j] = (data[s * f + j]! - mean) * scale;
  }
  return { data: out, frames, features: f };
}
