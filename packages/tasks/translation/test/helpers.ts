import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskExample } from '@s2s/core';

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 's2s-translation-')), name);
  writeFileSync(path, content);
  return path;
}

/** Reads an async stream to the end. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Examples from `[english, french]` pairs. */
export function examples(pairs: readonly (readonly [string, string])[]): TaskExample[] {
  return pairs.map(([input, reference]) => ({ input, references: [reference] }));
}
