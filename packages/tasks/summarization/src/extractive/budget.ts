import type { TaskExample } from '@s2s/core';
import { articleBody } from '../pipeline/summarization-pipeline.js';

/**
 * The picks, in order, while the words so far are under `budget` × the article's words (the
 * sentence that reaches the budget is kept); all of them when the budget is 0.
 */
export function withinBudget(
  picks: readonly number[],
  sentences: readonly string[],
  budget: number,
): number[] {
  if (budget <= 0) return [...picks];
  const limit = budget * countWords(sentences.join(' '));
  const kept: number[] = [];
  let words = 0;
  for (const i of picks) {
    if (words >= limit) break;
    kept.push(i);
    words += countWords(sentences[i] ?? '');
  }
  return kept;
}

/** The mean share of an article's words its reference holds, over examples. */
export function referenceShare(examples: readonly TaskExample[]): number {
  let sum = 0;
  for (const e of examples) {
    const article = countWords(articleBody(e.input));
    sum += article > 0 ? countWords(e.references[0] ?? '') / article : 0;
  }
  return sum / Math.max(1, examples.length);
}

/** Words, roughly as ROUGE counts them: runs of letters or digits. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
