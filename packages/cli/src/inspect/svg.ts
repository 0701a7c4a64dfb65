/** Small helpers for writing SVG by hand. */

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** The font every s2s plot uses; the PNG renderer ships it, so plots look the same everywhere. */
export const FONT_FAMILY = 'DejaVu Sans';

/**
 * Wraps SVG content in a document with a white background and a `<title>`, the accessible
 * name screen readers announce for the image.
 */
export function svgDocument(
  width: number,
  height: number,
  body: string[],
  title = 's2s plot',
): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Formats a coordinate with at most two decimals. */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}
