import type { DecodedText } from '@s2s/core';

/** How `decode` prints each input's outputs. */
export type OutputFormat = 'text' | 'nbest' | 'json';

/**
 * The lines printed for one decoded input: `text` is the best output; `nbest` is one
 * `input-number TAB score TAB output` line per hypothesis; `json` is one JSON object with
 * every hypothesis's tokens, scores, per-token log-probabilities and alignment.
 */
export function formatDecoded(d: DecodedText, index: number, format: OutputFormat): string {
  if (format === 'text') return `${d.hypotheses[0]?.text ?? ''}\n`;
  if (format === 'nbest') {
    return d.hypotheses.map((h) => `${index}\t${h.score.toFixed(4)}\t${h.text}\n`).join('');
  }
  return `${JSON.stringify({
    input: d.input,
    sourceTokens: d.sourceTokens,
    outputs: d.hypotheses.map((h) => ({
      text: h.text,
      tokens: h.tokens,
      score: h.score,
      logProb: h.logProb,
      tokenLogProbs: h.tokenLogProbs,
      finished: h.finished,
      ...(h.alignment ? { alignment: h.alignment } : {}),
    })),
  })}\n`;
}
