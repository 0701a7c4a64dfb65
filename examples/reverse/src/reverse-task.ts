import { Rng, Vocabulary } from '@s2s/core';

/** The digit vocabulary shared by source and target: specials, then `0`–`9`. */
export const digits = new Vocabulary('0123456789'.split(''));

/** One example: a digit string and its reversal, as token ids. */
export interface Example {
  readonly source: number[];
  readonly target: number[];
}

/** Random digit strings of `minLength`–`maxLength` digits paired with their reversal. */
export function reverseExamples(
  count: number,
  options: { seed: number; minLength: number; maxLength: number },
): Example[] {
  const rng = new Rng(options.seed);
  return Array.from({ length: count }, () => {
    const length = options.minLength + rng.int(options.maxLength - options.minLength + 1);
    const tokens = Array.from({ length }, () => String(rng.int(10)));
    return { source: digits.encode(tokens), target: digits.encode([...tokens].reverse()) };
  });
}
