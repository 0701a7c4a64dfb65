import { checkBoolean, checkInt, checkPositive, withDefaults } from '../options.js';
import { codePoints, PYTHON_PUNCTUATION, pythonFixed, pythonSplit } from '../text/python-string.js';
import {
  type Counts,
  clippedMatches,
  ngramCounts,
  prepareReferences,
  sumStatistics,
  total,
} from './references.js';
import { formatSignature } from './signature.js';

/** Options of {@link corpusChrf} and {@link sentenceChrf}; the defaults are sacreBLEU's `CHRF()`. */
export interface ChrfOptions {
  /** Longest character n-gram. Default 6. */
  charOrder?: number;
  /** Longest word n-gram: 0 is chrF, 2 is chrF++ (Popović 2017). Default 0. */
  wordOrder?: number;
  /** Weight of recall over precision, F_β: any number > 0 (0.5, 1.5 included). Default 2. */
  beta?: number;
  /** Lower-case both sides first. Default `false`. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default `false` (whitespace is removed). */
  whitespace?: boolean;
  /**
   * chrF++.py / Moses / NLTK ε-smoothing: average the F-score of every order, with ε for
   * orders that have no n-grams. Default `false`: sacreBLEU 2.x averages precision and
   * recall over the orders both sides have ("effective order", `eff:yes`).
   */
  epsSmoothing?: boolean;
}

/** A chrF score as sacreBLEU's `CHRFScore` reports it. */
export interface ChrfScore {
  /** chrF on sacreBLEU's 0–100 scale. */
  readonly score: number;
  /** `chrF2`, or `chrF2++` with word order 2 (one `+` per word order). */
  readonly name: string;
  /** sacreBLEU signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0+s2s`. */
  readonly signature: string;
  /** sacreBLEU's rendering: `chrF2 = 59.73`. */
  readonly text: string;
  /** Per order (characters 1..nc, then words 1..nw): [hypothesis, reference, matching] n-grams. */
  readonly statistics: readonly (readonly [number, number, number])[];
}

/**
 * Corpus-level chrF (Popović 2015) or chrF++ (2017), compatible with sacreBLEU's
 * `CHRF().corpus_score`. Statistics are summed over segments, each segment taking the
 * reference with the best segment-level F-score. Layout of `referenceStreams` as for BLEU.
 */
export function corpusChrf(
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly (string | null)[])[],
  options?: ChrfOptions,
): ChrfScore {
  return chrf(hypotheses, referenceStreams, resolve('corpusChrf', options));
}

/** chrF of one hypothesis against its references (sacreBLEU's `sentence_chrf`). */
export function sentenceChrf(
  hypothesis: string,
  references: readonly (string | null)[],
  options?: ChrfOptions,
): ChrfScore {
  return chrf(
    [hypothesis],
    references.map((r) => [r]),
    resolve('sentenceChrf', options),
  );
}

type ResolvedChrfOptions = Required<ChrfOptions>;

function resolve(owner: string, options: ChrfOptions | undefined): ResolvedChrfOptions {
  const o = withDefaults<ChrfOptions>(
    owner,
    {
      charOrder: 6,
      wordOrder: 0,
      beta: 2,
      lowercase: false,
      whitespace: false,
      epsSmoothing: false,
    },
    options,
  );
  return {
    charOrder: checkInt(owner, 'charOrder', o.charOrder, 1),
    wordOrder: checkInt(owner, 'wordOrder', o.wordOrder, 0),
    beta: checkPositive(owner, 'beta', o.beta),
    lowercase: checkBoolean(owner, 'lowercase', o.lowercase),
    whitespace: checkBoolean(owner, 'whitespace', o.whitespace),
    epsSmoothing: checkBoolean(owner, 'epsSmoothing', o.epsSmoothing),
  };
}

function chrf(
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly (string | null)[])[],
  o: ResolvedChrfOptions,
): ChrfScore {
  const { segments, nrefs } = prepareReferences('chrF', hypotheses, referenceStreams);
  const prepare = (line: string) => extractNgrams(o.lowercase ? line.toLowerCase() : line, o);
  const rows = hypotheses.map((hypothesis, i) => {
    const hyp = prepare(hypothesis);
    let best: number[] = [];
    let bestF = -1;
    for (const reference of segments[i]!.references) {
      const ref = prepare(reference);
      const stats = hyp.flatMap((grams, n) => matchStatistics(grams, ref[n]!));
      const f = fScore(stats, o);
      // Strictly greater: on a tie the earlier reference wins, as in sacreBLEU.
      if (f > bestF) [best, bestF] = [stats, f];
    }
    return best;
  });
  const sum = sumStatistics(rows);
  const score = fScore(sum, o);
  const name = `chrF${o.beta}${'+'.repeat(o.wordOrder)}`;
  const signature = formatSignature(nrefs, [
    ['case', o.lowercase ? 'lc' : 'mixed'],
    ['eff', o.epsSmoothing ? 'no' : 'yes'],
    ['nc', o.charOrder],
    ['nw', o.wordOrder],
    ['space', o.whitespace ? 'yes' : 'no'],
  ]);
  const statistics = Array.from(
    { length: sum.length / 3 },
    (_, n) => [sum[3 * n]!, sum[3 * n + 1]!, sum[3 * n + 2]!] as const,
  );
  return { score, name, signature, text: `${name} = ${pythonFixed(score, 2)}`, statistics };
}

/** Character n-grams of orders 1..charOrder, then word n-grams of orders 1..wordOrder. */
function extractNgrams(line: string, o: ResolvedChrfOptions): Counts[] {
  const chars = codePoints(o.whitespace ? line : pythonSplit(line).join(''));
  const orders = ngramCounts(chars, o.charOrder, '');
  // Words never contain whitespace, so ' ' separates them unambiguously.
  if (o.wordOrder > 0) orders.push(...ngramCounts(splitPunctuation(line), o.wordOrder, ' '));
  return orders;
}

/**
 * chrF++'s word tokenisation (sacreBLEU `_remove_punctuation`): split on whitespace, then
 * detach one ASCII punctuation mark from the end of a word or, failing that, its start.
 */
function splitPunctuation(line: string): string[] {
  const words: string[] = [];
  for (const word of pythonSplit(line)) {
    const chars = codePoints(word);
    if (chars.length === 1) words.push(word);
    else if (PYTHON_PUNCTUATION.has(chars.at(-1)!))
      words.push(chars.slice(0, -1).join(''), chars.at(-1)!);
    else if (PYTHON_PUNCTUATION.has(chars[0]!)) words.push(chars[0]!, chars.slice(1).join(''));
    else words.push(word);
  }
  return words;
}

/** [hypothesis n-grams, reference n-grams, matches]; hypothesis counts only if the reference has any. */
function matchStatistics(hyp: Counts, ref: Counts): number[] {
  return [ref.size > 0 ? total(hyp) : 0, total(ref), clippedMatches(hyp, ref)];
}

/** sacreBLEU's `CHRF._compute_f_score`, operation for operation. */
function fScore(stats: readonly number[], o: ResolvedChrfOptions): number {
  const eps = 1e-16;
  const factor = o.beta ** 2;
  const orders = o.charOrder + o.wordOrder;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < orders; i++) {
    const [nHyp, nRef, nMatch] = [stats[3 * i]!, stats[3 * i + 1]!, stats[3 * i + 2]!];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (o.epsSmoothing) return (100 * score) / orders;
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  return 100 * (((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec));
}
