import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the shipped sample folder, `test/fixtures/fsdd`: ten Free Spoken Digit
 * Dataset recordings, one of each digit, two of each speaker (CC BY-SA 4.0; see
 * `test/fixtures/ATTRIBUTION.md`). Shipped in the npm package, so examples run anywhere.
 */
export const sampleFolder: string = fileURLToPath(
  new URL('../../test/fixtures/fsdd', import.meta.url),
);
