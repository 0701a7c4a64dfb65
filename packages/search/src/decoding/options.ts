import { ConfigError, knownOptions, positiveInt, type SearchOptions } from '@s2s/core';

/** Per-call options, validated: what every strategy reads from {@link SearchOptions}. */
export interface CallOptions {
  readonly maxLength: number;
  readonly alignments: boolean;
}

/** Validates the per-call options a strategy was given. */
export function callOptions(owner: string, options: SearchOptions): CallOptions {
  return {
    maxLength: positiveInt(owner, 'maxLength', options.maxLength),
    alignments: options.alignments ?? true,
  };
}

/** Validates that an option is a finite number > 0. */
export function positiveNumber(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `${owner}: option '${option}' must be a positive number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates that an option is 0 or a positive integer. */
export function nonNegativeInt(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(
      `${owner}: option '${option}' must be 0 or a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `options` over `defaults`, after rejecting any name the component does not know. */
export function withDefaults<T extends object>(
  owner: string,
  defaults: Required<T>,
  options: T,
): Required<T> {
  knownOptions(owner, options, Object.keys(defaults));
  return { ...defaults, ...options };
}
