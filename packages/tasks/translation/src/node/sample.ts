import { fileURLToPath } from 'node:url';

/**
 * Path of the shipped sample, `data/sample.tsv`: 4,000 short English–French pairs from
 * Tatoeba via manythings.org (CC-BY 2.0 France; see `data/ATTRIBUTION.md`).
 */
export const samplePath: string = fileURLToPath(new URL('../../data/sample.tsv', import.meta.url));
