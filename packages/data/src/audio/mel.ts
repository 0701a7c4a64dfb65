/** Hertz to mel on the HTK scale: 2595·log10(1 + f/700). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/** Mel (HTK scale) to hertz. */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** The triangular mel filters of a filter bank. */
export interface MelFilters {
  /** `[M, K]` weights, row-major: filter m's weight on FFT bin k (K = fftSize/2 + 1). */
  readonly weights: Float32Array;
  /** The peak frequency of each filter, in Hz. */
  readonly centers: Float64Array;
  readonly bins: number;
}

/**
 * Triangular filters spaced evenly on the HTK mel scale between `fMin` and `fMax`: filter m
 * rises linearly in hertz from centre m−1 to 1 at centre m and falls to 0 at centre m+1
 * (unnormalised, as in HTK, Kaldi and torchaudio's `htk` scale).
 */
export function melFilters(
  melBins: number,
  fftSize: number,
  sampleRate: number,
  fMin: number,
  fMax: number,
): MelFilters {
  const bins = fftSize / 2 + 1;
  const low = hzToMel(fMin);
  const step = (hzToMel(fMax) - low) / (melBins + 1);
  const edges = Float64Array.from({ length: melBins + 2 }, (_, i) => melToHz(low + i * step));
  const weights = new Float32Array(melBins * bins);
  for (let m = 0; m < melBins; m++) {
    const [left, center, right] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / fftSize;
      const w = Math.min((f - left) / (center - left), (right - f) / (right - center));
      if (w > 0) weights[m * bins + k] = w;
    }
  }
  return { weights, centers: edges.slice(1, -1), bins };
}
