/** Hits and edits of one Levenshtein alignment of a hypothesis to its reference. */
export interface EditCounts {
  /** Reference tokens matched unchanged. */
  hits: number;
  /** Reference tokens replaced by a different hypothesis token. */
  substitutions: number;
  /** Reference tokens missing from the hypothesis. */
  deletions: number;
  /** Hypothesis tokens with no reference counterpart. */
  insertions: number;
}

/**
 * Aligns `hypothesis` to `reference` with unit-cost Levenshtein edits and counts hits,
 * substitutions, deletions and insertions.
 *
 * Every minimal alignment has the same number of edits, but not the same mix: one
 * deletion plus one insertion can replace two substitutions. To report the same mix as
 * jiwer, this breaks ties exactly like the alignment jiwer reads (rapidfuzz's
 * `Levenshtein.opcodes`): the common prefix and suffix are matched first, then the
 * alignment is traced back from the end preferring a deletion, then an insertion, then
 * the diagonal. rapidfuzz switches to Hirschberg's algorithm once min(n, 2d + 1) · m ≥ 2²²
 * (n, m the lengths left after the common prefix and suffix, d the distance, n ≥ 65,
 * m ≥ 10); there the mix can differ, never the edit total.
 */
export function alignCounts<T>(reference: readonly T[], hypothesis: readonly T[]): EditCounts {
  let start = 0;
  while (
    start < reference.length &&
    start < hypothesis.length &&
    reference[start] === hypothesis[start]
  ) {
    start++;
  }
  let endR = reference.length;
  let endH = hypothesis.length;
  while (endR > start && endH > start && reference[endR - 1] === hypothesis[endH - 1]) {
    endR--;
    endH--;
  }
  const affix = start + (reference.length - endR);
  const counts = traceBack(reference.slice(start, endR), hypothesis.slice(start, endH));
  counts.hits += affix;
  return counts;
}

/** The summed edit counts of aligning each hypothesis to its reference. */
export function sumCounts(all: readonly EditCounts[]): EditCounts {
  const sum: EditCounts = { hits: 0, substitutions: 0, deletions: 0, insertions: 0 };
  for (const c of all) {
    sum.hits += c.hits;
    sum.substitutions += c.substitutions;
    sum.deletions += c.deletions;
    sum.insertions += c.insertions;
  }
  return sum;
}

function traceBack<T>(ref: readonly T[], hyp: readonly T[]): EditCounts {
  const n = ref.length;
  const m = hyp.length;
  const counts: EditCounts = { hits: 0, substitutions: 0, deletions: 0, insertions: 0 };
  // delta[(j - 1)·n + (i - 1)] = D[i][j] − D[i−1][j] ∈ {−1, 0, 1}, where D[i][j] is the
  // distance between ref[:i] and hyp[:j]: exactly the vertical deltas (VP/VN bits) that
  // rapidfuzz's backtrace reads, at one byte per cell instead of a full distance table.
  const delta = new Int8Array(n * m);
  let previous = Int32Array.from({ length: n + 1 }, (_, i) => i); // D[·][j − 1]
  let current = new Int32Array(n + 1);
  for (let j = 1; j <= m; j++) {
    current[0] = j;
    for (let i = 1; i <= n; i++) {
      const diagonal = previous[i - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current[i] = Math.min(previous[i]! + 1, current[i - 1]! + 1, diagonal);
      delta[(j - 1) * n + (i - 1)] = current[i]! - current[i - 1]!;
    }
    [previous, current] = [current, previous];
  }
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (delta[(j - 1) * n + (i - 1)] === 1) {
      // D[i][j] = D[i−1][j] + 1: dropping ref[i−1] is optimal.
      counts.deletions++;
      i--;
      continue;
    }
    j--;
    if (j > 0 && delta[(j - 1) * n + (i - 1)] === -1) {
      // D[i][j] − D[i−1][j] = −1 one row up: hyp[j] is an insertion.
      counts.insertions++;
    } else {
      i--;
      if (ref[i] === hyp[j]) counts.hits++;
      else counts.substitutions++;
    }
  }
  counts.deletions += i;
  counts.insertions += j;
  return counts;
}
