import { MetricConfigError } from './errors.js';

/**
 * Merges `options` over `defaults` (which lists every option, `undefined` where the default
 * depends on another option), rejecting names the metric does not know, so a typo
 * (`smoothMetod`) fails loudly instead of silently scoring with a default.
 */
export function withDefaults<T extends object>(
  owner: string,
  defaults: T,
  options: Partial<T> | undefined,
): T {
  const given = options ?? {};
  for (const key of Object.keys(given)) {
    if (!(key in defaults)) {
      throw new MetricConfigError(
        `${owner}: unknown option '${key}'; known options: ${Object.keys(defaults).join(', ')}`,
      );
    }
  }
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Checks that an option is one of a fixed set of values. */
export function checkOneOf<T>(owner: string, option: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new MetricConfigError(
      `${owner}: option '${option}' must be one of ${allowed.join(', ')}, got ${show(value)}`,
    );
  }
  return value;
}

/** Checks that an option is an integer in [min, max]. */
export function checkInt(
  owner: string,
  option: string,
  value: unknown,
  min: number,
  max = Infinity,
) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new MetricConfigError(
      `${owner}: option '${option}' must be ${range}, got ${show(value)}`,
    );
  }
  return value;
}

/** Checks that an option is a finite number ≥ `min`. */
export function checkNumber(owner: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new MetricConfigError(
      `${owner}: option '${option}' must be a finite number ≥ ${min}, got ${show(value)}`,
    );
  }
  return value;
}

/** Checks that an option is a finite number > 0. */
export function checkPositive(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new MetricConfigError(
      `${owner}: option '${option}' must be a finite number > 0, got ${show(value)}`,
    );
  }
  return value;
}

/** Checks that an option is a boolean. */
export function checkBoolean(owner: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new MetricConfigError(
      `${owner}: option '${option}' must be a boolean, got ${show(value)}`,
    );
  }
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
