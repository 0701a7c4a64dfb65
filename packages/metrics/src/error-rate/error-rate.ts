import { checkParallel } from '../errors.js';
import { codePoints, PYTHON_WHITESPACE_RUN, pythonStrip } from '../text/python-string.js';
import { alignCounts, type EditCounts, sumCounts } from './levenshtein.js';

/** Word-level error counts and rates over a corpus, as jiwer's `process_words` reports them. */
export interface WordErrorRate extends EditCounts {
  /** (S + D + I) / N, N the number of reference words; the insertion count when N = 0. */
  readonly wer: number;
  /** Match error rate, (S + D + I) / (H + S + D + I). */
  readonly mer: number;
  /** Word information preserved, (H / N) · (H / number of hypothesis words). */
  readonly wip: number;
  /** Word information lost, 1 − wip. */
  readonly wil: number;
  /** Reference words, N = H + S + D. */
  readonly referenceLength: number;
  /** Hypothesis words, H + S + I. */
  readonly hypothesisLength: number;
}

/** Character-level error counts and rate over a corpus, as jiwer's `process_characters`. */
export interface CharacterErrorRate extends EditCounts {
  /** (S + D + I) / N, N the number of reference characters; the insertion count when N = 0. */
  readonly cer: number;
  /** Reference characters (code points, spaces included). */
  readonly referenceLength: number;
  /** Hypothesis characters. */
  readonly hypothesisLength: number;
}

/**
 * Corpus word error rate: Levenshtein-align each hypothesis to its reference and divide the
 * summed edits by the summed reference length (not the mean of per-sentence rates).
 * Words are found as jiwer's default transform finds them: runs of two or more whitespace
 * characters become one space, the ends are stripped, and the text is split on spaces.
 * Matches jiwer 4 (`jiwer.process_words(references, hypotheses)`; note the order there).
 */
export function wordErrorRate(
  hypotheses: string | readonly string[],
  references: string | readonly string[],
): WordErrorRate {
  const counts = alignAll('wordErrorRate', hypotheses, references, jiwerWords);
  const { hits: h, substitutions: s, deletions: d, insertions: i } = counts;
  const n = h + s + d;
  const hypothesisLength = h + s + i;
  const errors = s + d + i;
  if (n === 0) {
    // jiwer 4: with no reference words, WER is the number of insertions.
    const silent = hypothesisLength === 0;
    const wip = silent ? 1 : 0;
    return {
      ...counts,
      wer: i,
      mer: silent ? 0 : 1,
      wip,
      wil: 1 - wip,
      referenceLength: 0,
      hypothesisLength,
    };
  }
  const wip = hypothesisLength >= 1 ? (h / n) * (h / hypothesisLength) : 0;
  return {
    ...counts,
    wer: errors / n,
    mer: errors / (n + i),
    wip,
    wil: 1 - wip,
    referenceLength: n,
    hypothesisLength,
  };
}

/**
 * Corpus character error rate over Unicode code points (spaces count; no normalisation),
 * after stripping each line's ends: jiwer 4's `process_characters` / `jiwer.cer`.
 */
export function characterErrorRate(
  hypotheses: string | readonly string[],
  references: string | readonly string[],
): CharacterErrorRate {
  const counts = alignAll('characterErrorRate', hypotheses, references, (line) =>
    codePoints(pythonStrip(line)),
  );
  const n = counts.hits + counts.substitutions + counts.deletions;
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  return {
    ...counts,
    cer: n === 0 ? counts.insertions : errors / n,
    referenceLength: n,
    hypothesisLength: counts.hits + counts.substitutions + counts.insertions,
  };
}

/** jiwer's `wer_default`: RemoveMultipleSpaces, Strip, ReduceToListOfListOfWords. */
function jiwerWords(line: string): string[] {
  // `\s\s+` → ' ': a single tab or newline stays inside a word, as it does in jiwer.
  const collapsed = line.replace(PYTHON_WHITESPACE_RUN, (run) => (run.length >= 2 ? ' ' : run));
  return pythonStrip(collapsed)
    .split(' ')
    .filter((word) => word.length > 0);
}

function alignAll(
  metric: string,
  hypotheses: string | readonly string[],
  references: string | readonly string[],
  tokenize: (line: string) => string[],
): EditCounts {
  const hyps = typeof hypotheses === 'string' ? [hypotheses] : hypotheses;
  const refs = typeof references === 'string' ? [references] : references;
  // jiwer scores an empty corpus (WER 0), so this does too.
  checkParallel(metric, ['hypotheses', hyps.length], ['references', refs.length], true);
  return sumCounts(refs.map((ref, k) => alignCounts(tokenize(ref), tokenize(hyps[k]!))));
}
