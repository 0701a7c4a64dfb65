// The part of opentype.js (which ships no types) that the plots use.
declare module 'opentype.js' {
  /** A glyph of a parsed font. */
  export interface Glyph {
    /** Advance width in font units. */
    readonly advanceWidth?: number;
  }
  /** A parsed font. */
  export interface Font {
    readonly unitsPerEm: number;
    /** The glyph a character maps to (`.notdef` when the font lacks it). */
    charToGlyph(char: string): Glyph;
  }
  /** The package: a CommonJS module, so Node gives it as the default export. */
  const opentype: {
    /** Parses a TrueType or OpenType font from its bytes. */
    parse(buffer: ArrayBuffer): Font;
  };
  export default opentype;
}
