import type { TaskExample } from '@s2s/core';
import { splitSentences } from '../article/sentences.js';
import { withinBudget } from '../extractive/budget.js';
import { greedyOracle, splitReference } from '../extractive/oracle.js';
import { articleBody } from '../pipeline/summarization-pipeline.js';

/**
 * The proportional lead: an article's leading sentences until they hold `share` of its
 * words (the sentence that reaches it included). Summaries of BBC News Summary hold about
 * 45% of their article, so lead-3 is far too short for a fair baseline on F1.
 */
export function proportionalLead(body: string, share: number): string {
  const sentences = splitSentences(body);
  return withinBudget(
    sentences.map((_, i) => i),
    sentences,
    share,
  )
    .map((i) => sentences[i])
    .join(' ');
}

/** The greedy ROUGE oracle's sentences, in article order: the ceiling of extraction. */
export function oracleSummary(example: TaskExample, maxSentences = Infinity): string {
  const sentences = splitSentences(articleBody(example.input)).slice(0, maxSentences);
  const { picks } = greedyOracle(sentences, example.references[0] ?? '');
  return [...picks]
    .sort((a, b) => a - b)
    .map((i) => sentences[i])
    .join(' ');
}

/**
 * The share of reference sentences found word for word among their article's sentences
 * (space normalised), over all references.
 */
export function extractiveShare(examples: readonly TaskExample[]): number {
  let found = 0;
  let total = 0;
  for (const e of examples) {
    const article = new Set(splitSentences(articleBody(e.input)).map(normalize));
    for (const s of splitReference(e.references[0] ?? '')) {
      total++;
      if (article.has(normalize(s))) found++;
    }
  }
  return total === 0 ? 0 : found / total;
}

function normalize(sentence: string): string {
  return sentence.replace(/\s+/g, ' ').trim();
}
