/** An attention alignment with the labels of its rows and columns. */
export interface Alignment {
  /** Output tokens: one row each. */
  readonly rows: readonly string[];
  /** Input tokens: one column each. */
  readonly columns: readonly string[];
  /** `weights[i][j]`: how much output token i attended to input token j, in [0, 1]. */
  readonly weights: readonly (readonly number[])[];
}

const cell = 28;
const labelWidth = 110;
const headerHeight = 90;

/**
 * The alignment as an SVG heat map (Bahdanau et al. 2015, fig. 3): input tokens across the
 * top, output tokens down the side, one square per pair shaded from white (0) to black (1).
 * Each square carries its weight in `data-weight` and its place in `data-row`/`data-col`,
 * and a `<title>` the browser shows on hover. Labels are escaped: tokens come from the
 * user's text.
 */
export function heatmapSvg(alignment: Alignment): string {
  const { rows, columns, weights } = alignment;
  if (weights.length !== rows.length || weights.some((w) => w.length !== columns.length)) {
    const found = `[${weights.length}][${weights.map((w) => w.length).join('|')}]`;
    throw new RangeError(
      `heatmapSvg: expected weights of shape [${rows.length}][${columns.length}] (output × input tokens), found ${found}`,
    );
  }
  const width = labelWidth + columns.length * cell;
  const height = headerHeight + rows.length * cell;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="attention weights">`,
  ];
  columns.forEach((token, j) => {
    const x = labelWidth + j * cell + cell / 2;
    parts.push(
      `<text class="col" x="${x}" y="${headerHeight - 6}" transform="rotate(-60 ${x} ${headerHeight - 6})">${escapeXml(token)}</text>`,
    );
  });
  rows.forEach((token, i) => {
    const y = headerHeight + i * cell;
    parts.push(
      `<text class="row" x="${labelWidth - 6}" y="${y + cell / 2 + 4}" text-anchor="end">${escapeXml(token)}</text>`,
    );
    weights[i]!.forEach((weight, j) => {
      const title = `${escapeXml(token)} ← ${escapeXml(columns[j]!)}: ${weight.toFixed(3)}`;
      parts.push(
        `<rect x="${labelWidth + j * cell}" y="${y}" width="${cell}" height="${cell}" fill="${shade(weight)}" data-row="${i}" data-col="${j}" data-weight="${weight}"><title>${title}</title></rect>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Grey level of a weight: 1 is black, 0 white; out-of-range weights are clamped. */
export function shade(weight: number): string {
  const level = Math.round(255 * (1 - Math.min(1, Math.max(0, weight))));
  return `rgb(${level},${level},${level})`;
}

/** Text safe inside SVG/HTML elements and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
