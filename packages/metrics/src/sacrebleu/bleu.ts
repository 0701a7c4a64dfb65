import { checkBoolean, checkInt, checkNumber, checkOneOf, withDefaults } from '../options.js';
import { pythonFixed, pythonRstrip, pythonSplit } from '../text/python-string.js';
import {
  type Counts,
  clippedMatches,
  ngramCounts,
  prepareReferences,
  sumStatistics,
  total,
} from './references.js';
import { formatSignature } from './signature.js';
import { type BleuTokenizerName, bleuTokenizer } from './tokenizers.js';

/** sacreBLEU's smoothing methods (Chen & Cherry 2014): `exp` is method 3, as in mteval. */
export type BleuSmoothMethod = 'exp' | 'none' | 'floor' | 'add-k';

/** Options of {@link corpusBleu} and {@link sentenceBleu}; the defaults are sacreBLEU's. */
export interface BleuOptions {
  /** Tokeniser applied to hypotheses and references. Default `'13a'`. */
  tokenize?: BleuTokenizerName;
  /** Lower-case both sides first (`case:lc`). Default `false`. */
  lowercase?: boolean;
  /** Smoothing of zero n-gram precisions. Default `'exp'`. */
  smoothMethod?: BleuSmoothMethod;
  /** The ε of `floor` (default 0.1) or the k of `add-k` (default 1); unused otherwise. */
  smoothValue?: number;
  /** Longest n-gram counted. Default 4. */
  maxNgramOrder?: number;
  /**
   * Average only over the n-gram orders the hypothesis has (sacreBLEU `use_effective_order`).
   * Default `false` for {@link corpusBleu}, `true` for {@link sentenceBleu}.
   */
  effectiveOrder?: boolean;
}

/** A BLEU score with its sufficient statistics, as sacreBLEU's `BLEUScore` reports them. */
export interface BleuScore {
  /** BLEU on sacreBLEU's 0–100 scale. */
  readonly score: number;
  /** Clipped n-gram matches per order (before any add-k smoothing). */
  readonly counts: readonly number[];
  /** Hypothesis n-grams per order (before any add-k smoothing). */
  readonly totals: readonly number[];
  /** The (smoothed) n-gram precisions, 0–100. */
  readonly precisions: readonly number[];
  /** Brevity penalty. */
  readonly bp: number;
  /** Hypothesis tokens, summed over the corpus. */
  readonly sysLen: number;
  /** Closest-reference tokens, summed over the corpus. */
  readonly refLen: number;
  /** sysLen / refLen (0 when refLen is 0). */
  readonly ratio: number;
  /** sacreBLEU signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0+s2s`. */
  readonly signature: string;
  /** sacreBLEU's rendering: `BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 …)`. */
  readonly text: string;
}

/** Sufficient statistics of BLEU: what {@link computeBleu} needs. */
export interface BleuStatistics {
  readonly sysLen: number;
  readonly refLen: number;
  readonly counts: readonly number[];
  readonly totals: readonly number[];
}

/**
 * Corpus-level BLEU, compatible with sacreBLEU's `BLEU().corpus_score(hypotheses, refs)`.
 * `referenceStreams[k][i]` is the k-th reference of segment i (sacreBLEU's layout); an
 * empty reference string means that segment has one reference fewer.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly (string | null)[])[],
  options?: BleuOptions,
): BleuScore {
  return bleu(hypotheses, referenceStreams, resolve(options, false));
}

/**
 * Sentence-level BLEU of one hypothesis against its references, as sacreBLEU's
 * `sentence_bleu` (same defaults, plus effective order).
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly (string | null)[],
  options?: BleuOptions,
): BleuScore {
  return bleu(
    [hypothesis],
    references.map((r) => [r]),
    resolve(options, true),
  );
}

/**
 * BLEU from sufficient statistics, as sacreBLEU's `BLEU.compute_bleu` (whose own default is
 * `smoothMethod: 'none'`, so pass the method you want).
 */
export function computeBleu(
  stats: BleuStatistics,
  options?: Omit<BleuOptions, 'tokenize' | 'lowercase'>,
): { score: number; precisions: number[]; bp: number } {
  const o = resolve({ smoothMethod: 'none', ...options }, false);
  const { sysLen, refLen } = stats;
  const maxOrder = o.maxNgramOrder;
  if (stats.counts.length !== maxOrder || stats.totals.length !== maxOrder) {
    throw new RangeError(`computeBleu: expected ${maxOrder} counts and totals per order`);
  }
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  // No match at any order: 0 without smoothing (sacreBLEU #141), whatever the method.
  if (!stats.counts.some((c) => c !== 0)) return { score: 0, precisions, bp };

  const correct = [...stats.counts];
  const total = [...stats.totals];
  const k = o.smoothValue;
  let mteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (o.smoothMethod === 'add-k' && n > 1) {
      correct[n - 1]! += k;
      total[n - 1]! += k;
    }
    if (total[n - 1] === 0) break;
    if (o.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (o.smoothMethod === 'exp') {
        mteval *= 2;
        precisions[n - 1] = 100 / (mteval * total[n - 1]!);
      } else if (o.smoothMethod === 'floor') {
        precisions[n - 1] = (100 * k) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += p === 0 ? LOG_ZERO : Math.log(p);
  return { score: bp * Math.exp(logSum / effOrder), precisions, bp };
}

/** sacreBLEU's `my_log(0)`: a huge negative stand-in for log 0 so the mean stays finite. */
const LOG_ZERO = -9999999999;

const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | undefined> = {
  exp: undefined,
  none: undefined,
  floor: 0.1,
  'add-k': 1,
};

type ResolvedBleuOptions = Required<Omit<BleuOptions, 'smoothValue'>> & { smoothValue: number };

function resolve(options: BleuOptions | undefined, sentence: boolean): ResolvedBleuOptions {
  const owner = sentence ? 'sentenceBleu' : 'corpusBleu';
  const o = withDefaults<BleuOptions>(
    owner,
    {
      tokenize: '13a',
      lowercase: false,
      smoothMethod: 'exp',
      smoothValue: undefined,
      maxNgramOrder: 4,
      effectiveOrder: sentence,
    },
    options,
  );
  const smoothMethod = checkOneOf(owner, 'smoothMethod', o.smoothMethod!, [
    'exp',
    'none',
    'floor',
    'add-k',
  ] as const);
  const smoothValue =
    o.smoothValue === undefined
      ? (SMOOTH_DEFAULTS[smoothMethod] ?? 0)
      : checkNumber(owner, 'smoothValue', o.smoothValue, 0);
  return {
    tokenize: checkOneOf(owner, 'tokenize', o.tokenize!, [
      '13a',
      'intl',
      'zh',
      'char',
      'none',
    ] as const),
    lowercase: checkBoolean(owner, 'lowercase', o.lowercase),
    smoothMethod,
    smoothValue,
    maxNgramOrder: checkInt(owner, 'maxNgramOrder', o.maxNgramOrder, 1),
    effectiveOrder: checkBoolean(owner, 'effectiveOrder', o.effectiveOrder),
  };
}

function bleu(
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly (string | null)[])[],
  o: ResolvedBleuOptions,
): BleuScore {
  const { segments, nrefs } = prepareReferences('BLEU', hypotheses, referenceStreams);
  const tokenizer = bleuTokenizer(o.tokenize);
  // sacreBLEU's _preprocess_segment: optional lower-casing, then tokenise the rstripped line.
  const preprocess = (line: string) =>
    tokenizer(pythonRstrip(o.lowercase ? line.toLowerCase() : line));
  const rows = hypotheses.map((hypothesis, i) => {
    const refs = segments[i]!.references.map((r) => ngrams(preprocess(r), o.maxNgramOrder));
    const hyp = ngrams(preprocess(hypothesis), o.maxNgramOrder);
    const counts = hyp.orders.map((grams, n) =>
      clippedMatches(grams, mergeMax(refs.map((r) => r.orders[n]!))),
    );
    const refLen = closestRefLength(
      hyp.length,
      refs.map((r) => r.length),
    );
    return [hyp.length, refLen, ...counts, ...hyp.orders.map(total)];
  });
  const sum = sumStatistics(rows);
  const stats: BleuStatistics = {
    sysLen: sum[0]!,
    refLen: sum[1]!,
    counts: sum.slice(2, 2 + o.maxNgramOrder),
    totals: sum.slice(2 + o.maxNgramOrder),
  };
  const { score, precisions, bp } = computeBleu(stats, o);
  const ratio = stats.refLen ? stats.sysLen / stats.refLen : 0;
  const smooth =
    o.smoothMethod === 'floor' || o.smoothMethod === 'add-k'
      ? `${o.smoothMethod}[${pythonFixed(o.smoothValue, 2)}]`
      : o.smoothMethod;
  const signature = formatSignature(nrefs, [
    ['case', o.lowercase ? 'lc' : 'mixed'],
    ['eff', o.effectiveOrder ? 'yes' : 'no'],
    ['tok', o.tokenize],
    ['smooth', smooth],
  ]);
  const text =
    `BLEU = ${pythonFixed(score, 2)} ${precisions.map((p) => pythonFixed(p, 1)).join('/')} ` +
    `(BP = ${pythonFixed(bp, 3)} ratio = ${pythonFixed(ratio, 3)} ` +
    `hyp_len = ${stats.sysLen} ref_len = ${stats.refLen})`;
  return { ...stats, score, precisions, bp, ratio, signature, text };
}

/** Word n-gram counts per order 1..maxOrder of a tokenised line, keyed by the joined words. */
function ngrams(line: string, maxOrder: number): { orders: Counts[]; length: number } {
  // Tokens come from a whitespace split, so a space can never occur inside one.
  const tokens = pythonSplit(line);
  return { orders: ngramCounts(tokens, maxOrder, ' '), length: tokens.length };
}

/** Per n-gram, the largest count any one reference has (BLEU's multi-reference clipping). */
function mergeMax(tables: readonly Counts[]): Counts {
  const merged: Counts = new Map();
  for (const table of tables) {
    for (const [gram, count] of table) merged.set(gram, Math.max(merged.get(gram) ?? 0, count));
  }
  return merged;
}

/** The reference length closest to the hypothesis length; the shorter one on a tie. */
function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && refLen < best)) {
      bestDiff = diff;
      best = refLen;
    }
  }
  return best;
}
