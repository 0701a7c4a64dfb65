import { describe, expect, it } from 'vitest';
import { attentionHeatmap, HEATMAP_LIMITS } from './heatmap.js';
import { renderPng } from './render.js';
import { textWidth, truncateText } from './text-metrics.js';

/** The width and height an SVG document declares. */
function size(svg: string): { width: number; height: number } {
  const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The PNG's pixel width and height, from its IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('text metrics', () => {
  it("measures with DejaVu Sans's own advance widths", () => {
    // hmtx advances of DejaVu Sans (2048 units per em): i 569, W 2025, a 1255, m 1995,
    // space 651 — as resvg's bounding boxes of "HxH" − "HH" also give them.
    const em = 100;
    expect(textWidth('i', em)).toBeCloseTo((569 / 2048) * em, 6);
    expect(textWidth('W', em)).toBeCloseTo((2025 / 2048) * em, 6);
    expect(textWidth('am', em)).toBeCloseTo(((1255 + 1995) / 2048) * em, 6);
    expect(textWidth(' ', em)).toBeCloseTo((651 / 2048) * em, 6);
  });

  it('cuts text to a measured width with an ellipsis, and leaves short text alone', () => {
    expect(truncateText('short', 200, 13)).toBe('short');
    const cut = truncateText('The minister said the economy would grow by 3% next year.', 120, 13);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 13)).toBeLessThanOrEqual(120);
    expect('The minister said the economy'.startsWith(cut.slice(0, -1))).toBe(true);
  });
});

describe('attentionHeatmap', () => {
  it('stays within its bounds for a 400-character article and a long output', () => {
    const article = 'The bank raised rates again on Monday, and markets fell. '
      .repeat(7)
      .slice(0, 400);
    const source = article.split(' ');
    const target = [...source].reverse();
    const weights = target.map((_, i) => source.map((_, j) => (i === j ? 1 : 0)));
    const svg = attentionHeatmap({ weights, source, target, title: `${article}  →  ${article}` });
    const { width, height } = size(svg);
    const l = HEATMAP_LIMITS;
    // Left labels + grid + colour bar across; title + rotated labels + grid down.
    expect(width).toBeLessThanOrEqual(16 + l.targetLabel + 8 + l.grid + 24 + 56 + 16 + 1);
    expect(height).toBeLessThanOrEqual(16 + 28 + l.sourceLabel * 0.87 + 14 + l.grid + 16 + 1);
    const png = pngSize(renderPng(svg));
    expect(png.width).toBe(2 * width);
    expect(png.height).toBe(2 * height);
    // The title is cut, and no label is drawn wider than its limit.
    const title = /font-size="15">([^<]*)</.exec(svg)![1]!;
    expect(title.endsWith('…')).toBe(true);
    for (const [, text] of svg.matchAll(/text-anchor="end">([^<]*)</g))
      expect(textWidth(text!, 13)).toBeLessThanOrEqual(l.targetLabel);
  });

  it('keeps the grid large and every label for a short input', () => {
    const svg = attentionHeatmap({
      weights: [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      source: ['#0 Rates rose sharply after the announcement.', '#1 Jobs were lost.'],
      target: ['#1', '<eos>'],
    });
    expect(svg).toContain('width="28" height="28"');
    expect(svg).toContain('>#1 Jobs were lost.<');
    expect(svg).toMatch(/>#0 Rates rose[^<]*…</);
  });
});
