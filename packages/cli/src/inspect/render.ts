import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomically } from '../files/atomic.js';
import { FONT_FAMILY } from './svg.js';
import { FONT_FILE } from './text-metrics.js';

/**
 * Rasterises an SVG at twice its size with resvg, using the DejaVu Sans font shipped with
 * the CLI (system fonts stay available for scripts it lacks).
 */
export function renderPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { fontFiles: [FONT_FILE], loadSystemFonts: true, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** Writes `base.svg` and `base.png`, each atomically; returns their paths. */
export async function writeSvgAndPng(
  base: string,
  svg: string,
): Promise<{ svg: string; png: string }> {
  const paths = { svg: `${base}.svg`, png: `${base}.png` };
  const png = renderPng(svg);
  await writeFileAtomically(paths.svg, svg);
  await writeFileAtomically(paths.png, png);
  return paths;
}
