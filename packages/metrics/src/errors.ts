/**
 * Typed errors. `@s2s/metrics` depends on no other s2s package, so it carries its own
 * small hierarchy; every message names what was expected and what was found.
 */

/** Base class of every error `@s2s/metrics` throws on purpose. */
export class MetricError extends Error {
  override name = 'MetricError';
}

/** An option was unknown, of the wrong type or out of range. */
export class MetricConfigError extends MetricError {
  override name = 'MetricConfigError';
}

/** The hypotheses or references cannot be scored (mismatched lengths, no reference, …). */
export class MetricInputError extends MetricError {
  override name = 'MetricInputError';
}

/**
 * Checks that two parallel lists (predictions and their references) have the same length
 * and, unless `allowEmpty`, at least one item; `first` and `second` are [noun, length].
 */
export function checkParallel(
  metric: string,
  first: readonly [string, number],
  second: readonly [string, number],
  allowEmpty = false,
): void {
  if (first[1] !== second[1] || (!allowEmpty && first[1] === 0)) {
    throw new MetricInputError(
      `${metric}: expected ${allowEmpty ? '' : 'one or more '}${first[0]}, one per item of ` +
        `${second[0]}; found ${first[1]} ${first[0]} and ${second[1]} ${second[0]}`,
    );
  }
}
