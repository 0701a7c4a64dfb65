import { fileURLToPath } from 'node:url';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

/**
 * Absolute paths of the small samples shipped in the npm package (`test/fixtures`, with
 * their attribution in `ATTRIBUTION.md` there), so the README's example runs anywhere:
 * `tsv`, English–French Tatoeba pairs; `wav`, one Free Spoken Digit Dataset recording.
 */
export const sampleFiles: { readonly tsv: string; readonly wav: string } = {
  tsv: fixture('eng-fra.tsv'),
  wav: fixture('fsdd/0_george_0.wav'),
};
