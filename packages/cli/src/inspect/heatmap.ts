import { interpolateBlues } from 'd3-scale-chromatic';
import { escapeXml, px, svgDocument, textWidth } from './svg.js';

/** What {@link attentionHeatmap} draws. */
export interface HeatmapInput {
  /** `[T][S]` attention weights: one row per output token, one column per source position. */
  readonly weights: readonly (readonly number[])[];
  /** S labels of the source positions (x axis). */
  readonly source: readonly string[];
  /** T labels of the output tokens (y axis). */
  readonly target: readonly string[];
  readonly title?: string;
}

const cell = 28;
const fontSize = 13;
const margin = 16;

/**
 * The attention alignment as an SVG heat map: source tokens along the top, output tokens
 * down the left, each cell shaded by the weight a_ij the output token gave the source
 * position (white 0 → dark blue 1), with a colour bar.
 */
export function attentionHeatmap(input: HeatmapInput): string {
  const { weights, source, target } = input;
  const left = margin + Math.max(0, ...target.map((t) => textWidth(t, fontSize))) + 8;
  // Source labels stand at −60°, so their height is their width times sin 60°.
  const top =
    margin +
    (input.title ? 28 : 0) +
    Math.max(0, ...source.map((s) => textWidth(s, fontSize))) * 0.87 +
    14;
  const gridWidth = source.length * cell;
  const gridHeight = target.length * cell;
  const barX = left + gridWidth + 24;
  const width = Math.max(
    barX + 56 + margin,
    margin * 2 + (input.title ? textWidth(input.title, 15) : 0),
  );
  const height = top + Math.max(gridHeight, 120) + margin;
  const body: string[] = [];
  if (input.title) {
    body.push(
      `<text x="${margin}" y="${margin + 15}" font-size="15" font-weight="bold">${escapeXml(input.title)}</text>`,
    );
  }
  weights.forEach((row, i) => {
    row.forEach((w, j) => {
      const value = Math.min(1, Math.max(0, w));
      body.push(
        `<rect x="${px(left + j * cell)}" y="${px(top + i * cell)}" width="${cell}" height="${cell}" fill="${interpolateBlues(value)}"><title>${escapeXml(`${target[i]} → ${source[j]}: ${w.toFixed(3)}`)}</title></rect>`,
      );
    });
  });
  body.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${gridWidth}" height="${gridHeight}" fill="none" stroke="#444" stroke-width="1"/>`,
  );
  source.forEach((s, j) => {
    const x = left + j * cell + cell / 2;
    body.push(
      `<text x="${px(x)}" y="${px(top - 8)}" font-size="${fontSize}" transform="rotate(-60 ${px(x)} ${px(top - 8)})">${escapeXml(s)}</text>`,
    );
  });
  target.forEach((t, i) => {
    body.push(
      `<text x="${px(left - 8)}" y="${px(top + i * cell + cell / 2 + fontSize * 0.35)}" font-size="${fontSize}" text-anchor="end">${escapeXml(t)}</text>`,
    );
  });
  body.push(...colourBar(barX, top, Math.max(gridHeight, 120)));
  return svgDocument(width, height, body);
}

function colourBar(x: number, y: number, height: number): string[] {
  const stops = Array.from(
    { length: 11 },
    (_, k) => `<stop offset="${k / 10}" stop-color="${interpolateBlues(1 - k / 10)}"/>`,
  );
  return [
    `<defs><linearGradient id="weights" x1="0" y1="0" x2="0" y2="1">${stops.join('')}</linearGradient></defs>`,
    `<rect x="${px(x)}" y="${px(y)}" width="14" height="${px(height)}" fill="url(#weights)" stroke="#444" stroke-width="1"/>`,
    `<text x="${px(x + 20)}" y="${px(y + 10)}" font-size="11">1</text>`,
    `<text x="${px(x + 20)}" y="${px(y + height)}" font-size="11">0</text>`,
  ];
}
