import { ShapeError, type TaskExample, type TaskScores } from '@s2s/core';
import { corpusBleu, corpusChrf } from '@s2s/metrics';

/**
 * Corpus BLEU (sacreBLEU's defaults: 13a tokenisation, exponential smoothing, mixed case)
 * and chrF2 of `outputs` against every reference of each example; BLEU is primary. An
 * example with fewer references than the most has `null` (sacreBLEU's `None`) in the
 * missing streams: "one reference fewer" (`nrefs:var` in the signature). An empty string
 * would count as a reference of length 0.
 */
export function scoreTranslations(
  outputs: readonly string[],
  examples: readonly TaskExample[],
): TaskScores {
  if (outputs.length !== examples.length || examples.length === 0) {
    throw new ShapeError(
      'translation evaluate',
      'one output per example, at least one',
      `${outputs.length} outputs for ${examples.length} examples`,
    );
  }
  const depth = Math.max(...examples.map((e) => e.references.length));
  const streams = Array.from({ length: depth }, (_, k) =>
    examples.map((e) => e.references[k] ?? null),
  );
  const bleu = corpusBleu(outputs, streams);
  const chrf = corpusChrf(outputs, streams);
  return {
    scores: { bleu: bleu.score, chrf: chrf.score },
    primary: 'bleu',
    signature: `BLEU|${bleu.signature}`,
  };
}
