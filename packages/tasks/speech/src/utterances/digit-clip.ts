/** The English words of the digits 0–9, as FSDD's transcripts spell them. */
export const DIGIT_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

/** One recording of a spoken digit, named `{digit}_{speaker}_{take}.wav` as in FSDD. */
export interface DigitClip {
  /** The file's path. */
  readonly file: string;
  /** 0–9. */
  readonly digit: number;
  readonly speaker: string;
  readonly take: number;
}

const clipName = /^([0-9])_([^_/\\]+)_([0-9]+)\.wav$/i;

/**
 * Reads a clip's digit, speaker and take from its file name (`7_george_12.wav`), or
 * returns undefined when the name does not follow the Free Spoken Digit Dataset's scheme.
 */
export function parseDigitClip(file: string): DigitClip | undefined {
  const match = clipName.exec(
    file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1),
  );
  if (!match) return undefined;
  return { file, digit: Number(match[1]), speaker: match[2]!, take: Number(match[3]) };
}
