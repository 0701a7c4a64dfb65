import { InvalidArgumentError } from 'commander';

/** Parses a positive integer flag value. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Parses an integer flag value. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${value}'`);
  return n;
}

/** Parses a finite number flag value. */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
