import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a shipped sample under `test/fixtures/`. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Every tab-separated text field of the shipped eng-fra and bAbI samples, trimmed. */
export function sampleSentences(): string[] {
  const pairs = readFileSync(fixture('eng-fra.tsv'), 'utf8').trim().split('\n');
  const babi = ['qa1-sample.txt', 'qa8-sample.txt', 'qa19-sample.txt'].flatMap((f) =>
    readFileSync(fixture(`babi/${f}`), 'utf8')
      .trim()
      .split('\n'),
  );
  return [...pairs, ...babi].flatMap((line) => line.split('\t').map((field) => field.trim()));
}
