import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleFiles } from './sample-files.js';

describe('sampleFiles', () => {
  it('names files that exist: a TSV of pairs and a RIFF/WAVE recording', () => {
    expect(existsSync(sampleFiles.tsv)).toBe(true);
    expect(readFileSync(sampleFiles.tsv, 'utf8').split('\n')[0]).toMatch(/^[^\t]+\t[^\t]+$/);
    expect(readFileSync(sampleFiles.wav).subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('is in the npm package', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { files: string[] };
    expect(pkg.files).toContain('test/fixtures');
  });
});
