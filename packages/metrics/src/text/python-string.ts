/**
 * The few Python `str` behaviours the reference implementations rely on, reproduced exactly:
 * JavaScript's `\s` and `trim()` use a different whitespace set (they include U+FEFF and
 * leave out U+001C–U+001F and U+0085), which would change token counts on unusual input.
 */

/** The characters for which Python's `str.isspace()` is true (checked over all of Unicode). */
const PYTHON_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** One or more Python whitespace characters (global). */
export const PYTHON_WHITESPACE_RUN = new RegExp(`[${PYTHON_SPACE}]+`, 'gu');
const LEADING = new RegExp(`^[${PYTHON_SPACE}]+`, 'u');
const TRAILING = new RegExp(`[${PYTHON_SPACE}]+$`, 'u');

/** Python's `string.punctuation`: the ASCII punctuation characters. */
export const PYTHON_PUNCTUATION: ReadonlySet<string> = new Set(
  '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
);

/** Python's `s.split()`: split on runs of whitespace, dropping empty pieces. */
export function pythonSplit(s: string): string[] {
  return s.split(PYTHON_WHITESPACE_RUN).filter((piece) => piece.length > 0);
}

/** Python's `s.strip()`. */
export function pythonStrip(s: string): string {
  return pythonRstrip(s.replace(LEADING, ''));
}

/** Python's `s.rstrip()`. */
export function pythonRstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** The string's Unicode code points, which is what Python indexes and counts. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/**
 * Python's `f'{x:.{digits}f}'`: like `toFixed`, except that an exact tie rounds to even
 * (Python) rather than away from zero (JavaScript), e.g. 1.0625 → '1.062', not '1.063'.
 */
export function pythonFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  // A double's exact decimal expansion ends within 60 digits of the point for |x| ≥ 2⁻⁸
  // (52 mantissa bits + 8), so printing 60 more digits than asked shows an exact tie.
  const exact = Math.abs(x).toFixed(digits + 60);
  if (!/^50*$/.test(exact.slice(-60))) return rounded;
  const truncated = exact.slice(0, -60).replace(/\.$/, '');
  const evenIfTruncated = Number(truncated.at(-1)) % 2 === 0;
  // toFixed rounded the tie away from zero, which lands on the even neighbour otherwise.
  return evenIfTruncated ? (x < 0 ? '-' : '') + truncated : rounded;
}
