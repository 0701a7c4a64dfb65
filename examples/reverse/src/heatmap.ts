/** Renders an alignment matrix as text: one row per output token, one column per input token. */
export function textHeatmap(
  alignment: readonly (readonly number[])[],
  sourceTokens: readonly string[],
  targetTokens: readonly string[],
): string {
  const shades = [' ', '░', '▒', '▓', '█'];
  const label = Math.max(5, ...targetTokens.map((t) => t.length));
  const header = `${' '.repeat(label + 2)}${sourceTokens.map((t) => t.padEnd(2)).join('')}`;
  const rows = targetTokens.map((token, i) => {
    const cells = sourceTokens.map((_, j) => {
      const w = alignment[i]?.[j] ?? 0;
      return shades[Math.min(shades.length - 1, Math.round(w * (shades.length - 1)))]!.repeat(2);
    });
    return `${token.padStart(label)}  ${cells.join('')}`;
  });
  return [header, ...rows].join('\n');
}
