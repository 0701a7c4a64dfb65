import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** An input line and where it came from, for messages. */
export interface InputLine {
  readonly text: string;
  /** `file:line` or `stdin:line`. */
  readonly origin: string;
}

/**
 * Reads lines in groups of up to `size`, each labelled `name:line`. A trailing `\r` is
 * dropped, so files written on Windows decode the same.
 */
export async function* readLineGroups(
  input: Readable,
  name: string,
  size: number,
): AsyncIterable<InputLine[]> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let group: InputLine[] = [];
  let n = 0;
  for await (const text of lines) {
    n++;
    group.push({ text: text.endsWith('\r') ? text.slice(0, -1) : text, origin: `${name}:${n}` });
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
