import type { TaskExample } from '@s2s/core';
import { splitSentences } from '../article/sentences.js';
import type { SummaryTarget } from '../task/data-settings.js';

/** How many leading sentences the lead baseline takes: lead-1 for headlines, lead-3 for summaries. */
export const LEAD_SENTENCES: Readonly<Record<SummaryTarget, number>> = { headline: 1, summary: 3 };

/**
 * The lead-k baseline: the first k sentences of an article's body, joined by a space. News
 * puts the most important facts first, so this is the score a summarizer has to beat.
 */
export function lead(body: string, k: number): string {
  return splitSentences(body).slice(0, k).join(' ');
}

/** The lead baseline's output for each example (lead-1 for headlines, lead-3 for summaries). */
export function leadBaseline(examples: readonly TaskExample[], target: SummaryTarget): string[] {
  return examples.map((e) => lead(e.input, LEAD_SENTENCES[target]));
}
