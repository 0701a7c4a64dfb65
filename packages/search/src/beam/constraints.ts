/**
 * Constraints beam search applies per source and per hypothesis: length limits, banned
 * repeated n-grams and the coverage penalty. Pure host-side functions.
 */

/** Shortest and longest output allowed for one source, in tokens, `<eos>` included. */
export interface LengthLimits {
  readonly min: number;
  readonly max: number;
}

/** What {@link lengthLimits} reads. Ratios of 0 are off. */
export interface LengthOptions {
  readonly minLength: number;
  readonly minLengthRatio: number;
  readonly maxLengthRatio: number;
}

/**
 * Limits for a source of `sourceLength` real tokens: max = min(maxLength, ⌊maxLengthRatio·|x|⌋)
 * (at least 1), min = max(minLength, ⌈minLengthRatio·|x|⌉), capped at max so a source
 * can always end.
 */
export function lengthLimits(
  options: LengthOptions,
  maxLength: number,
  sourceLength: number,
): LengthLimits {
  const max =
    options.maxLengthRatio > 0
      ? Math.min(maxLength, Math.max(1, Math.floor(options.maxLengthRatio * sourceLength)))
      : maxLength;
  const min = Math.max(options.minLength, Math.ceil(options.minLengthRatio * sourceLength));
  return { min: Math.min(min, max), max };
}

/**
 * Tokens that would repeat an n-gram already in `history` (Paulus et al. 2018): every w such
 * that (last n−1 tokens, w) occurs earlier. For n = 1, every token already emitted.
 */
export function bannedNgramTokens(history: readonly number[], n: number): number[] {
  const t = history.length;
  if (t < n - 1) return [];
  const banned = new Set<number>();
  for (let i = 0; i + n - 1 < t; i++) {
    let match = true;
    for (let j = 0; j < n - 1 && match; j++) match = history[i + j] === history[t - n + 1 + j];
    if (match) banned.add(history[i + n - 1]!);
  }
  return [...banned];
}

/**
 * cp(X; Y) = β Σ_i log min(Σ_t a_{t,i}, 1) over the source's real positions i (Wu et al.
 * 2016): ≤ 0, and 0 once every source position has received a total weight of 1.
 */
export function coveragePenalty(
  coverage: Float64Array,
  sourceLength: number,
  beta: number,
): number {
  if (beta === 0) return 0;
  let sum = 0;
  for (let i = 0; i < sourceLength; i++) sum += Math.log(Math.min(coverage[i]!, 1));
  return beta * sum;
}
