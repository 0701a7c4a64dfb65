import type { Vocabulary } from '@s2s/core';

/** A source in the extended vocabulary of a copy mechanism. */
export interface ExtendedSource {
  /**
   * Each source token's id in the extended vocabulary: a vocabulary word keeps its id, the
   * i-th distinct out-of-vocabulary word gets V + i while i < K, later ones `<unk>`.
   */
  readonly ids: number[];
  /** The out-of-vocabulary words given an id, in order of first appearance: id V + i is `oovs[i]`. */
  readonly oovs: string[];
}

/**
 * Gives a source's out-of-vocabulary words ids V, V + 1, … (at most `maxOovs` of them), the
 * layout the `pointer-generator` output layer copies into. The ids depend only on the
 * source, so training and decoding agree.
 */
export function extendSource(
  tokens: readonly string[],
  vocabulary: Vocabulary,
  maxOovs: number,
): ExtendedSource {
  const oovs: string[] = [];
  const slot = new Map<string, number>();
  const ids = tokens.map((token) => {
    if (vocabulary.has(token)) return vocabulary.id(token);
    let id = slot.get(token);
    if (id === undefined && oovs.length < maxOovs) {
      id = vocabulary.size + oovs.length;
      slot.set(token, id);
      oovs.push(token);
    }
    return id ?? vocabulary.unk;
  });
  return { ids, oovs };
}

/**
 * Target ids in a source's extended vocabulary: a word outside the vocabulary that the
 * source holds gets its copy id V + i; any other unknown word is `<unk>`.
 */
export function extendTarget(
  tokens: readonly string[],
  vocabulary: Vocabulary,
  oovs: readonly string[],
): number[] {
  return tokens.map((token) => {
    if (vocabulary.has(token)) return vocabulary.id(token);
    const i = oovs.indexOf(token);
    return i < 0 ? vocabulary.unk : vocabulary.size + i;
  });
}

/** The word of an extended-vocabulary id: `oovs[id − V]` for a copy id, else the vocabulary's. */
export function extendedToken(id: number, vocabulary: Vocabulary, oovs: readonly string[]): string {
  if (id < vocabulary.size) return vocabulary.token(id);
  return oovs[id - vocabulary.size] ?? vocabulary.specials.unk;
}
