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
