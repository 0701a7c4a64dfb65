import { checkParallel, MetricInputError } from '../errors.js';
import { checkOneOf, withDefaults } from '../options.js';
import { PYTHON_PUNCTUATION, pythonSplit } from '../text/python-string.js';

/** Which official SQuAD evaluation script to follow. */
export type SquadVersion = 'v1.1' | 'v2.0';

/** Options of the SQuAD metrics. */
export interface SquadOptions {
  /**
   * `'v2.0'` (default): a prediction or gold answer that normalises to nothing is a
   * no-answer, and F1 is 1 when both are no-answers, else 0; gold answers that normalise
   * to nothing are dropped unless none are left. `'v1.1'`: F1 is 0 without a shared token.
   * Both agree whenever prediction and gold answer normalise to something.
   */
  version?: SquadVersion;
}

/** Corpus SQuAD scores, on the official scripts' 0–100 scale. */
export interface SquadScores {
  /** Mean exact match × 100. */
  readonly exactMatch: number;
  /** Mean token F1 × 100. */
  readonly f1: number;
  /** Number of questions. */
  readonly total: number;
}

/**
 * The SQuAD answer normalisation: lower-case, drop ASCII punctuation, replace the whole
 * words a / an / the with a space, collapse whitespace (official `normalize_answer`;
 * "whole word" uses Python's Unicode `\b`).
 */
export function normalizeAnswer(answer: string): string {
  const noPunctuation = Array.from(answer.toLowerCase())
    .filter((ch) => !PYTHON_PUNCTUATION.has(ch))
    .join('');
  return pythonSplit(noPunctuation.replace(ARTICLES, ' ')).join(' ');
}

/** 1 if the prediction equals some gold answer after normalisation, else 0. */
export function exactMatch(
  prediction: string,
  goldAnswers: string | readonly string[],
  options?: SquadOptions,
): number {
  const version = resolve('exactMatch', options);
  const norm = normalizeAnswer(prediction);
  return Math.max(
    ...golds('exactMatch', goldAnswers, version).map((g) => (normalizeAnswer(g) === norm ? 1 : 0)),
  );
}

/** Best token-overlap F1 of the prediction against the gold answers (bag of normalised words). */
export function tokenF1(
  prediction: string,
  goldAnswers: string | readonly string[],
  options?: SquadOptions,
): number {
  const version = resolve('tokenF1', options);
  const pred = pythonSplit(normalizeAnswer(prediction));
  return Math.max(...golds('tokenF1', goldAnswers, version).map((g) => f1(pred, g, version)));
}

/** Exact match and F1 over a corpus, as the official scripts print them (× 100). */
export function squadScores(
  predictions: readonly string[],
  goldAnswers: readonly (string | readonly string[])[],
  options?: SquadOptions,
): SquadScores {
  checkParallel(
    'squadScores',
    ['predictions', predictions.length],
    ['gold answer lists', goldAnswers.length],
  );
  let em = 0;
  let f = 0;
  predictions.forEach((prediction, i) => {
    em += exactMatch(prediction, goldAnswers[i]!, options);
    f += tokenF1(prediction, goldAnswers[i]!, options);
  });
  const total = predictions.length;
  return { exactMatch: (100 * em) / total, f1: (100 * f) / total, total };
}

// Python's \b(a|an|the)\b: a word character is a Unicode letter or number, or '_'.
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;

function resolve(owner: string, options: SquadOptions | undefined): SquadVersion {
  const o = withDefaults<SquadOptions>(owner, { version: 'v2.0' }, options);
  return checkOneOf(owner, 'version', o.version!, ['v1.1', 'v2.0'] as const);
}

function golds(owner: string, goldAnswers: string | readonly string[], version: SquadVersion) {
  const all = typeof goldAnswers === 'string' ? [goldAnswers] : [...goldAnswers];
  // evaluate-v2.0.py: `if not gold_answers: gold_answers = ['']` (an unanswerable question).
  if (all.length === 0 && version === 'v2.0') return [''];
  if (all.length === 0) {
    throw new MetricInputError(`${owner}: expected at least one gold answer, found none`);
  }
  if (version === 'v1.1') return all;
  // evaluate-v2.0.py: answers that normalise to nothing do not count; if none is left,
  // the question is unanswerable and the only correct answer is the empty string.
  const kept = all.filter((g) => normalizeAnswer(g) !== '');
  return kept.length > 0 ? kept : [''];
}

function f1(pred: readonly string[], goldAnswer: string, version: SquadVersion): number {
  const gold = pythonSplit(normalizeAnswer(goldAnswer));
  if (version === 'v2.0' && (gold.length === 0 || pred.length === 0)) {
    return gold.length === pred.length ? 1 : 0;
  }
  const left = new Map<string, number>();
  for (const token of gold) left.set(token, (left.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of pred) {
    const n = left.get(token) ?? 0;
    if (n > 0) {
      same++;
      left.set(token, n - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}
