import { checkParallel, MetricConfigError, MetricInputError } from '../errors.js';
import { checkBoolean, withDefaults } from '../options.js';
import { porterStem } from './porter-stemmer.js';

/** `rouge1` … `rouge9` (n-gram overlap), `rougeL` (LCS) or `rougeLsum` (summary-level LCS). */
export type RougeType = `rouge${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | 'rougeL' | 'rougeLsum';

/** Options of {@link rouge}; the defaults are `RougeScorer(['rouge1', 'rouge2', 'rougeL'])`. */
export interface RougeOptions {
  /** Which scores to compute. Default `['rouge1', 'rouge2', 'rougeL']`. */
  rougeTypes?: readonly RougeType[];
  /** Porter-stem tokens longer than 3 characters (NLTK's stemmer). Default `false`. */
  useStemmer?: boolean;
}

/** Precision, recall and F1 of one ROUGE type (rouge-score's `Score` tuple). */
export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly fmeasure: number;
}

/** One {@link RougeScore} per requested type. */
export type RougeScores = Partial<Record<RougeType, RougeScore>>;

/**
 * ROUGE (Lin 2004) of a prediction against a target, as Google's `rouge-score` computes it
 * (`RougeScorer(types, use_stemmer).score(target, prediction)`; note the order there).
 * Tokens: lower-case, every run of characters other than a–z and 0–9 becomes a space
 * (so non-ASCII letters are dropped), optional Porter stemming of tokens over 3 letters.
 * `rougeLsum` splits both texts into sentences at newlines. With several targets, each
 * type takes the target with the best F1 (`score_multi`).
 */
export function rouge(
  prediction: string,
  targets: string | readonly string[],
  options?: RougeOptions,
): RougeScores {
  const o = resolve(options);
  const all = typeof targets === 'string' ? [targets] : targets;
  if (all.length === 0)
    throw new MetricInputError('rouge: expected at least one target, found none');
  const perTarget = all.map((target) => scoreOne(target, prediction, o));
  const best: RougeScores = {};
  for (const type of o.rougeTypes) {
    // np.argmax: the first target with the highest F1.
    for (const scores of perTarget) {
      const s = scores[type]!;
      if (best[type] === undefined || s.fmeasure > best[type].fmeasure) best[type] = s;
    }
  }
  return best;
}

/**
 * Mean precision, recall and F1 per type over a corpus of (prediction, targets) pairs: the
 * deterministic value that rouge-score's `BootstrapAggregator` reports a resampled
 * estimate of (its `mid`).
 */
export function meanRouge(
  predictions: readonly string[],
  targets: readonly (string | readonly string[])[],
  options?: RougeOptions,
): RougeScores {
  checkParallel('meanRouge', ['predictions', predictions.length], ['targets', targets.length]);
  const o = resolve(options);
  const each = predictions.map((p, i) => rouge(p, targets[i]!, o));
  const mean: RougeScores = {};
  for (const type of o.rougeTypes) {
    const avg = (key: keyof RougeScore) =>
      each.reduce((sum, s) => sum + s[type]![key], 0) / each.length;
    mean[type] = { precision: avg('precision'), recall: avg('recall'), fmeasure: avg('fmeasure') };
  }
  return mean;
}

/** rouge-score's `DefaultTokenizer`: the tokens ROUGE compares. */
export function rougeTokenize(text: string, useStemmer = false): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/);
  return tokens
    .map((t) => (useStemmer && t.length > 3 ? porterStem(t) : t))
    .filter((t) => /^[a-z0-9]+$/.test(t));
}

type ResolvedRougeOptions = Required<RougeOptions>;

function resolve(options: RougeOptions | undefined): ResolvedRougeOptions {
  const o = withDefaults<RougeOptions>(
    'rouge',
    { rougeTypes: ['rouge1', 'rouge2', 'rougeL'], useStemmer: false },
    options,
  );
  const types = o.rougeTypes!;
  if (!Array.isArray(types) || types.length === 0) {
    throw new MetricConfigError(`rouge: option 'rougeTypes' must list at least one ROUGE type`);
  }
  for (const type of types) {
    if (!/^rouge([1-9]|L|Lsum)$/.test(type)) {
      throw new MetricConfigError(
        `rouge: option 'rougeTypes' has '${type}'; expected rouge1 … rouge9, rougeL or rougeLsum`,
      );
    }
  }
  return { rougeTypes: types, useStemmer: checkBoolean('rouge', 'useStemmer', o.useStemmer) };
}

function scoreOne(target: string, prediction: string, o: ResolvedRougeOptions): RougeScores {
  const tokenize = (text: string) => rougeTokenize(text, o.useStemmer);
  const t = tokenize(target);
  const p = tokenize(prediction);
  const scores: RougeScores = {};
  for (const type of o.rougeTypes) {
    if (type === 'rougeL') scores[type] = lcsScore(t, p);
    else if (type === 'rougeLsum') {
      scores[type] = summaryLcsScore(
        sentences(target).map(tokenize),
        sentences(prediction).map(tokenize),
      );
    } else scores[type] = ngramScore(t, p, Number(type.slice(5)));
  }
  return scores;
}

/** rouge-score without `split_summaries`: one sentence per non-empty line. */
function sentences(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

function fScore(precision: number, recall: number): RougeScore {
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

function ngramScore(
  target: readonly string[],
  prediction: readonly string[],
  n: number,
): RougeScore {
  const count = (tokens: readonly string[]) => {
    const grams = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = tokens.slice(i, i + n).join(' ');
      grams.set(key, (grams.get(key) ?? 0) + 1);
    }
    return grams;
  };
  const t = count(target);
  const p = count(prediction);
  let overlap = 0;
  for (const [gram, c] of t) overlap += Math.min(c, p.get(gram) ?? 0);
  const total = (grams: Map<string, number>) => [...grams.values()].reduce((a, b) => a + b, 0);
  return fScore(overlap / Math.max(total(p), 1), overlap / Math.max(total(t), 1));
}

function lcsScore(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return fScore(0, 0);
  const lcs = lcsTable(target, prediction)[target.length]![prediction.length]!;
  return fScore(lcs / prediction.length, lcs / target.length);
}

/**
 * Summary-level LCS (Lin 2004, §3.2) as ROUGE-1.5.5 and rouge-score count it: for each
 * target sentence, the union of its LCS with every prediction sentence, each token
 * credited at most as often as it occurs on both sides.
 */
function summaryLcsScore(target: readonly string[][], prediction: readonly string[][]): RougeScore {
  const m = target.reduce((sum, s) => sum + s.length, 0);
  const n = prediction.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return fScore(0, 0);
  const left = (sents: readonly string[][]) => {
    const counts = new Map<string, number>();
    for (const token of sents.flat()) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  };
  const targetLeft = left(target);
  const predictionLeft = left(prediction);
  let hits = 0;
  for (const sentence of target) {
    const union = new Set<number>();
    for (const candidate of prediction)
      for (const i of lcsIndices(sentence, candidate)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const token = sentence[i]!;
      if ((predictionLeft.get(token) ?? 0) > 0 && (targetLeft.get(token) ?? 0) > 0) {
        hits++;
        predictionLeft.set(token, predictionLeft.get(token)! - 1);
        targetLeft.set(token, targetLeft.get(token)! - 1);
      }
    }
  }
  return fScore(hits / n, hits / m);
}

function lcsTable(a: readonly string[], b: readonly string[]): number[][] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i]![j] =
        a[i - 1] === b[j - 1]
          ? table[i - 1]![j - 1]! + 1
          : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
    }
  }
  return table;
}

/** Indices into `ref` of one LCS with `can`, read back exactly as rouge-score does. */
function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const t = lcsTable(ref, can);
  const indices: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if (t[i]![j - 1]! > t[i - 1]![j]!) j--;
    else i--;
  }
  return indices.reverse();
}
