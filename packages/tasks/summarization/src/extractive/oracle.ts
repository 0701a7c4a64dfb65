import { rougeTokenize } from '@s2s/metrics';
import { splitSentences } from '../article/sentences.js';

/** What {@link greedyOracle} returns. */
export interface Oracle {
  /** Chosen sentence indexes, in the order they were added (most gain first). */
  readonly picks: readonly number[];
  /** The objective of the chosen sentences in article order: ROUGE-1 F1 + ROUGE-2 F1. */
  readonly score: number;
}

/**
 * The greedy extractive oracle (Nallapati et al. 2017, SummaRuNNer §3): starting from no
 * sentence, repeatedly add the article sentence that most raises ROUGE-1 F1 + ROUGE-2 F1
 * of the chosen sentences (joined in article order) against the reference, and stop when
 * no sentence raises it or `maxPicks` are chosen. Tokens are rouge-score's, Porter-stemmed,
 * so the objective is the ROUGE the task reports. Ties go to the earlier sentence.
 */
export function greedyOracle(
  sentences: readonly string[],
  reference: string,
  maxPicks = sentences.length,
): Oracle {
  const tokens = sentences.map((s) => rougeTokenize(s, true));
  const ref = rougeTokenize(reference, true);
  const target = { one: counts(ref, 1), two: counts(ref, 2), length: ref.length };
  const chosen: number[] = [];
  let best = 0;
  while (chosen.length < Math.min(maxPicks, sentences.length)) {
    let pick = -1;
    let pickScore = best;
    for (let i = 0; i < sentences.length; i++) {
      if (chosen.includes(i)) continue;
      const score = objective(
        [...chosen, i].sort((a, b) => a - b).flatMap((j) => tokens[j]!),
        target,
      );
      if (score > pickScore + 1e-12) {
        pick = i;
        pickScore = score;
      }
    }
    if (pick < 0) break;
    chosen.push(pick);
    best = pickScore;
  }
  return { picks: chosen, score: best };
}

/**
 * The picks in the order the reference tells its sentences: each picked sentence goes where
 * the reference sentence sharing most of its words (ROUGE-1 F1) stands; ties keep the
 * given order. BBC News Summary's references do not follow article order, so a pointer
 * trained on this order can write them in theirs, which ROUGE-L rewards.
 */
export function referenceOrder(
  sentences: readonly string[],
  picks: readonly number[],
  reference: string,
): number[] {
  const parts = splitReference(reference).map((s) => counts(rougeTokenize(s, true), 1));
  const place = (i: number) => {
    const own = counts(rougeTokenize(sentences[i] ?? '', true), 1);
    let best = { at: parts.length, score: 0 };
    parts.forEach((part, at) => {
      const score = f1(own, part);
      if (score > best.score) best = { at, score };
    });
    return best.at;
  };
  const placed = picks.map((i, k) => ({ i, k, at: place(i) }));
  return placed.sort((a, b) => a.at - b.at || a.k - b.k).map((p) => p.i);
}

/**
 * A reference summary's sentences. BBC News Summary writes some with no space after the
 * full stop ("…it.South Korea's…"), so one is put back before splitting.
 */
export function splitReference(reference: string): string[] {
  return splitSentences(reference.replace(/([.!?]["'”’]?)(?=[A-Z"“])/g, '$1 '));
}

/** ROUGE-1 F1 + ROUGE-2 F1 of candidate tokens against the reference's n-gram counts. */
export function objective(
  candidate: readonly string[],
  target: { one: Map<string, number>; two: Map<string, number>; length: number },
): number {
  return f1(counts(candidate, 1), target.one) + f1(counts(candidate, 2), target.two);
}

/** n-gram counts of a token list (n = 1 or 2). */
function counts(tokens: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = n === 1 ? tokens[i]! : `${tokens[i]} ${tokens[i + 1]}`;
    out.set(gram, (out.get(gram) ?? 0) + 1);
  }
  return out;
}

/** rouge-score's n-gram F1: clipped overlap over candidate and reference n-gram totals. */
function f1(candidate: Map<string, number>, reference: Map<string, number>): number {
  let overlap = 0;
  let c = 0;
  let r = 0;
  for (const [gram, count] of candidate) {
    c += count;
    overlap += Math.min(count, reference.get(gram) ?? 0);
  }
  for (const count of reference.values()) r += count;
  if (overlap === 0) return 0;
  const precision = overlap / c;
  const recall = overlap / r;
  return (2 * precision * recall) / (precision + recall);
}
