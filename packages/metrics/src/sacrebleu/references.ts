import { MetricInputError } from '../errors.js';

/** The references of one segment after sacreBLEU's clean-up, and how many there were. */
export interface SegmentReferences {
  /** The segment's references (empty ones included), in stream order. */
  readonly references: readonly string[];
}

/** Reference streams turned into per-segment lists, plus the `nrefs` signature value. */
export interface PreparedReferences {
  readonly segments: readonly SegmentReferences[];
  /** The reference count of every segment, or `'var'` when segments differ. */
  readonly nrefs: number | 'var';
}

/**
 * Checks hypotheses against reference streams (sacreBLEU's layout: `referenceStreams[k][i]`
 * is the k-th reference of segment i) and regroups them per segment. As sacreBLEU's code
 * does (`Metric._cache_references`), only an absent reference (`null` or `undefined`, its
 * `None`) is dropped, giving the segment one reference fewer (`nrefs:var`); an empty
 * string is a reference like any other. A segment with no reference at all is an error.
 */
export function prepareReferences(
  metric: string,
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly (string | null | undefined)[])[],
): PreparedReferences {
  if (hypotheses.length === 0) {
    throw new MetricInputError(`${metric}: expected at least one hypothesis, found none`);
  }
  if (referenceStreams.length === 0) {
    throw new MetricInputError(`${metric}: expected at least one reference stream, found none`);
  }
  referenceStreams.forEach((stream, k) => {
    if (stream.length !== hypotheses.length) {
      throw new MetricInputError(
        `${metric}: reference stream ${k} has ${stream.length} segments, expected ` +
          `${hypotheses.length} (one per hypothesis)`,
      );
    }
  });
  const counts = new Set<number>();
  const segments = hypotheses.map((_, i) => {
    const references = referenceStreams
      .map((stream) => stream[i])
      .filter((r): r is string => r !== null && r !== undefined);
    if (references.length === 0) {
      throw new MetricInputError(
        `${metric}: segment ${i} has no reference (all are null); expected at least one`,
      );
    }
    counts.add(references.length);
    return { references };
  });
  return { segments, nrefs: counts.size === 1 ? [...counts][0]! : 'var' };
}

/** Element-wise sum of per-segment statistics (sacreBLEU's `sum_of_lists`). */
export function sumStatistics(rows: readonly (readonly number[])[]): number[] {
  const total = new Array<number>(rows[0]?.length ?? 0).fill(0);
  for (const row of rows) row.forEach((value, j) => (total[j]! += value));
  return total;
}

/** Counts of items (n-grams) keyed by a string; what Python's `Counter` is used for. */
export type Counts = Map<string, number>;

/**
 * Counts of the n-grams of orders 1..maxOrder of `items`, one table per order, each n-gram
 * keyed by its items joined with `glue` (which must not occur inside an item).
 */
export function ngramCounts(items: readonly string[], maxOrder: number, glue: string): Counts[] {
  const orders: Counts[] = Array.from({ length: maxOrder }, () => new Map());
  for (let i = 0; i < items.length; i++) {
    // Grow the n-gram one item at a time instead of slicing and joining per order.
    let key = '';
    for (let n = 0; n < maxOrder && i + n < items.length; n++) {
      key = n === 0 ? items[i]! : key + glue + items[i + n]!;
      const counts = orders[n]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return orders;
}

/** Σ min(hyp[g], ref[g]): the clipped matches between two n-gram count tables. */
export function clippedMatches(hyp: Counts, ref: Counts): number {
  let matches = 0;
  for (const [gram, count] of hyp) {
    const inRef = ref.get(gram);
    if (inRef !== undefined) matches += Math.min(count, inRef);
  }
  return matches;
}

/** The total of a count table. */
export function total(counts: Counts): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}
