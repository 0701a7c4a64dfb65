/**
 * The sacreBLEU release whose BLEU and chrF this package reproduces. Signatures print it
 * with `+s2s` build metadata: semver treats `2.6.0+s2s` as the same version as 2.6.0 (the
 * scores are meant to be interchangeable) while nobody mistakes the number for one that
 * sacreBLEU itself printed.
 */
export const SACREBLEU_VERSION = '2.6.0';

/** The version field every signature carries. */
export const SIGNATURE_VERSION = `${SACREBLEU_VERSION}+s2s`;

/**
 * Formats a sacreBLEU signature: `key:value` pairs joined by `|`, the reference count first
 * and the version last, exactly in sacreBLEU 2.x's order (`nrefs:1|case:mixed|…|version:…`).
 */
export function formatSignature(
  nrefs: number | 'var',
  fields: readonly (readonly [string, string | number])[],
): string {
  const pairs = [['nrefs', nrefs] as const, ...fields, ['version', SIGNATURE_VERSION] as const];
  return pairs.map(([key, value]) => `${key}:${value}`).join('|');
}
