import { describe, expect, it } from 'vitest';
import { escapeXml, heatmapSvg, shade } from './heatmap.js';

describe('heatmapSvg', () => {
  const alignment = {
    rows: ['je', 'suis', '<eos>'],
    columns: ['I', 'am'],
    weights: [
      [0.9, 0.1],
      [0.25, 0.75],
      [0.5, 0.5],
    ],
  };

  it('draws one square per (output, input) pair carrying its weight and place', () => {
    const svg = heatmapSvg(alignment);
    const squares = [...svg.matchAll(/data-row="(\d+)" data-col="(\d+)" data-weight="([^"]+)"/g)];
    expect(squares).toHaveLength(6);
    for (const [, i, j, w] of squares) {
      expect(Number(w)).toBe(alignment.weights[Number(i)]![Number(j)]);
    }
  });

  it('shades white for 0, black for 1 and mid-grey for 0.5', () => {
    expect(shade(0)).toBe('rgb(255,255,255)');
    expect(shade(1)).toBe('rgb(0,0,0)');
    expect(shade(0.5)).toBe('rgb(128,128,128)'); // 255 · 0.5 = 127.5, rounded up
    expect(shade(1.2)).toBe(shade(1));
    expect(shade(-0.1)).toBe(shade(0));
    expect(heatmapSvg(alignment)).toContain(`fill="${shade(0.75)}" data-row="1" data-col="1"`);
  });

  it('escapes tokens from user text, which land inside the markup', () => {
    expect(escapeXml(`<b>&"'`)).toBe('&#60;b&#62;&#38;&#34;&#39;');
    const svg = heatmapSvg({ rows: ['x'], columns: ['<script>'], weights: [[1]] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
  });

  it('rejects weights whose shape does not match the labels, saying both', () => {
    expect(() => heatmapSvg({ rows: ['a', 'b'], columns: ['x'], weights: [[1]] })).toThrow(
      'expected weights of shape [2][1] (output × input tokens), found [1][1]',
    );
  });
});
