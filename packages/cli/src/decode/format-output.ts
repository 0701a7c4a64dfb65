import type { DecodedInput } from './decode-inputs.js';

/** How `decode` prints each input's outputs. */
export type OutputFormat = 'text' | 'nbest' | 'json';

/**
 * The lines printed for one decoded input: `text` is the best output; `nbest` is one
 * `input-number TAB score TAB output` line per hypothesis; `json` is one JSON object with
 * every hypothesis's tokens, scores, per-token log-probabilities and alignment.
 */
export function formatDecoded(d: DecodedInput, index: number, format: OutputFormat): string {
  if (format === 'text') return `${d.outputs[0]?.decoded.text ?? ''}\n`;
  if (format === 'nbest') {
    return d.outputs
      .map((o) => `${index}\t${o.hypothesis.score.toFixed(4)}\t${o.decoded.text}\n`)
      .join('');
  }
  return `${JSON.stringify({
    input: d.input.text,
    sourceTokens: d.sourceLabels,
    outputs: d.outputs.map(({ hypothesis: h, decoded }) => ({
      text: decoded.text,
      tokens: decoded.tokens,
      score: h.score,
      logProb: h.logProb,
      tokenLogProbs: h.tokenLogProbs,
      finished: h.finished,
      ...(h.alignment ? { alignment: h.alignment } : {}),
    })),
  })}\n`;
}
