import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype, { type Font } from 'opentype.js';

/** The TrueType file of DejaVu Sans that the CLI ships and renders every plot with. */
export const FONT_FILE = createRequire(import.meta.url).resolve(
  'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
);

let font: Font | undefined;
const advances = new Map<string, number>();

/**
 * Width in pixels of `text` set in the shipped DejaVu Sans at `size`: the sum of its
 * characters' advance widths in the font's `hmtx` table (read with opentype.js), so a layout
 * fits what resvg draws. Kerning, which only narrows Latin text, is left out, so the
 * measure errs wide. (opentype.js 2.0 cannot shape DejaVu's GSUB lookups, so its
 * `getAdvanceWidth` throws on this font; single glyphs need no shaping.)
 */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const char of text) {
    let advance = advances.get(char);
    if (advance === undefined) {
      advance = loadFont().charToGlyph(char).advanceWidth ?? 0;
      advances.set(char, advance);
    }
    units += advance;
  }
  return (units * size) / loadFont().unitsPerEm;
}

function loadFont(): Font {
  if (!font) {
    const bytes = readFileSync(FONT_FILE);
    font = opentype.parse(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  }
  return font;
}

/**
 * `text` cut to at most `maxWidth` pixels at `size`, ending in `…` when cut; whole
 * characters only, so no surrogate pair is split.
 */
export function truncateText(text: string, maxWidth: number, size: number): string {
  if (textWidth(text, size) <= maxWidth) return text;
  const chars = [...text];
  // Binary search for the longest prefix that fits with the ellipsis.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${chars.slice(0, mid).join('').trimEnd()}…`, size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}
