/**
 * Writes the shipped sample, `data/sample.jsonl`: 60 generated articles (seed 2005), so the
 * package carries data to try the task on without any copyrighted text. Run from the package
 * folder after a build: `npm run sample`.
 */
import { writeFile } from 'node:fs/promises';
import { generateArticles, toJsonl } from '../generate/article-generator.js';

await writeFile(
  new URL('../../data/sample.jsonl', import.meta.url),
  toJsonl(generateArticles({ count: 60, seed: 2005 })),
);
