import { interpolateBlues } from 'd3-scale-chromatic';
import { escapeXml, px, svgDocument } from './svg.js';
import { textWidth, truncateText } from './text-metrics.js';

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

/**
 * Bounds of every heat map, in SVG pixels (the PNG is twice as large): the grid fits in
 * `grid` × `grid`, cells shrinking from `cell` as inputs grow; labels and
 * the title are cut (with `…`) to their widths, measured in the shipped font.
 */
export const HEATMAP_LIMITS = {
  cell: 28,
  grid: 1200,
  sourceLabel: 180,
  targetLabel: 220,
  title: 900,
} as const;

const fontSize = 13;
const titleSize = 15;
const margin = 16;

/**
 * The attention alignment as an SVG heat map: source labels along the top, output labels
 * down the left, each cell shaded by the weight a_ij the output token gave the source
 * position (white 0 → dark blue 1), with a colour bar. However long the input, the image
 * stays within {@link HEATMAP_LIMITS}: cells shrink, labels are cut to a measured width,
 * and when cells are smaller than the text only every k-th position is labelled.
 */
export function attentionHeatmap(input: HeatmapInput): string {
  const { weights } = input;
  const limits = HEATMAP_LIMITS;
  const positions = Math.max(input.source.length, input.target.length, 1);
  const cell = Math.min(limits.cell, limits.grid / positions);
  // Label every k-th row and column, so labels never overlap.
  const every = Math.ceil((fontSize + 2) / cell);
  const shown = (labels: readonly string[], width: number) =>
    labels.map((l, i) => (i % every === 0 ? truncateText(l, width, fontSize) : ''));
  const source = shown(input.source, limits.sourceLabel);
  const target = shown(input.target, limits.targetLabel);
  const left = margin + Math.max(0, ...target.map((t) => textWidth(t, fontSize))) + 8;
  // Source labels stand at −60°, so their height is their width times sin 60°.
  const top =
    margin +
    (input.title ? 28 : 0) +
    Math.max(0, ...source.map((s) => textWidth(s, fontSize))) * 0.87 +
    14;
  const gridWidth = input.source.length * cell;
  const gridHeight = input.target.length * cell;
  const barX = left + gridWidth + 24;
  const title = input.title ? truncateText(input.title, limits.title, titleSize) : undefined;
  const width = Math.max(
    barX + 56 + margin,
    margin * 2 + (title ? textWidth(title, titleSize) : 0),
  );
  const height = top + Math.max(gridHeight, 120) + margin;
  const body: string[] = [];
  if (title) {
    body.push(
      `<text x="${margin}" y="${margin + titleSize}" font-size="${titleSize}">${escapeXml(title)}</text>`,
    );
  }
  // Tooltips name the whole label, cut only when very long.
  const tips = (labels: readonly string[]) =>
    labels.map((l) => escapeXml([...l].length > 80 ? `${[...l].slice(0, 79).join('')}…` : l));
  const [sourceTips, targetTips] = [tips(input.source), tips(input.target)];
  weights.forEach((row, i) => {
    row.forEach((w, j) => {
      const value = Math.min(1, Math.max(0, w));
      body.push(
        `<rect x="${px(left + j * cell)}" y="${px(top + i * cell)}" width="${px(cell)}" height="${px(cell)}" fill="${interpolateBlues(value)}"><title>${targetTips[i] ?? ''} → ${sourceTips[j] ?? ''}: ${w.toFixed(3)}</title></rect>`,
      );
    });
  });
  body.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${px(gridWidth)}" height="${px(gridHeight)}" fill="none" stroke="#444" stroke-width="1"/>`,
  );
  source.forEach((s, j) => {
    if (s === '') return;
    const x = left + j * cell + cell / 2;
    body.push(
      `<text x="${px(x)}" y="${px(top - 8)}" font-size="${fontSize}" transform="rotate(-60 ${px(x)} ${px(top - 8)})">${escapeXml(s)}</text>`,
    );
  });
  target.forEach((t, i) => {
    if (t === '') return;
    body.push(
      `<text x="${px(left - 8)}" y="${px(top + i * cell + cell / 2 + fontSize * 0.35)}" font-size="${fontSize}" text-anchor="end">${escapeXml(t)}</text>`,
    );
  });
  body.push(...colourBar(barX, top, Math.max(gridHeight, 120)));
  return svgDocument(width, height, body, title ?? 'attention heat map');
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
