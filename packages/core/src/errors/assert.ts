import type { Tensor } from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * Checks a tensor's shape. `null` in `expected` matches any size; the names are the
 * papers' letters (`['B', 'S']`) and are used in the message.
 */
export function assertShape(
  what: string,
  tensor: Tensor,
  expected: readonly (number | null)[],
  names?: readonly string[],
): void {
  const ok =
    tensor.rank === expected.length &&
    expected.every((size, i) => size === null || tensor.shape[i] === size);
  if (!ok) {
    const want = expected.map((s, i) => (s === null ? (names?.[i] ?? '?') : String(s)));
    throw new ShapeError(what, `[${want.join(', ')}]`, `[${tensor.shape.join(', ')}]`);
  }
}

/** Checks a tensor's dtype. */
export function assertDtype(what: string, tensor: Tensor, dtype: Tensor['dtype']): void {
  if (tensor.dtype !== dtype) throw new ShapeError(what, `dtype ${dtype}`, `dtype ${tensor.dtype}`);
}

/**
 * Validates that an option is a positive integer.
 *
 * @deprecated Describe the options with a zod schema (`z.strictObject({ … })`) and validate
 * them once with `parseOptions` (from `@s2s/core`), which names the option by its path and suggests the
 * closest name for a typo; kept for third-party plugins that still call it.
 */
export function positiveInt(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `${owner}: option '${option}' must be a positive integer, got ${show(value)}`,
    );
  }
  return value;
}

/**
 * Validates that an option is a number in [min, max].
 *
 * @deprecated Describe the options with a zod schema (`z.strictObject({ … })`) and validate
 * them once with `parseOptions` (from `@s2s/core`), which names the option by its path and suggests the
 * closest name for a typo; kept for third-party plugins that still call it.
 */
export function numberIn(
  owner: string,
  option: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new ConfigError(
      `${owner}: option '${option}' must be a number in [${min}, ${max}], got ${show(value)}`,
    );
  }
  return value;
}

/**
 * Validates that an option is one of a fixed set of strings.
 *
 * @deprecated Describe the options with a zod schema (`z.strictObject({ … })`) and validate
 * them once with `parseOptions` (from `@s2s/core`), which names the option by its path and suggests the
 * closest name for a typo; kept for third-party plugins that still call it.
 */
export function oneOf<T extends string>(
  owner: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConfigError(
      `${owner}: option '${option}' must be one of ${allowed.join(', ')}, got ${show(value)}`,
    );
  }
  return value as T;
}

/**
 * Rejects option names a component does not know, so a typo (`hiddenSzie`) fails loudly
 * instead of silently falling back to a default.
 *
 * @deprecated Describe the options with a zod schema (`z.strictObject({ … })`) and validate
 * them once with `parseOptions` (from `@s2s/core`), which names the option by its path and suggests the
 * closest name for a typo; kept for third-party plugins that still call it.
 */
export function knownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(
        `${owner}: unknown option '${key}'${didYouMean(key, known)}; known options: ${known.join(', ')}`,
      );
    }
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
