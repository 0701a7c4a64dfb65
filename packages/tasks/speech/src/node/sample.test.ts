import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleFolder } from './sample.js';

describe('sampleFolder', () => {
  it('is the folder of the ten shipped clips, one of each digit', () => {
    expect(basename(sampleFolder)).toBe('fsdd');
    const clips = readdirSync(sampleFolder).filter((f) => f.endsWith('.wav'));
    expect(clips.map((f) => f[0]).sort()).toEqual([...'0123456789']);
  });

  it('is in the npm package, with its attribution', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      files: string[];
    };
    expect(pkg.files).toContain('test/fixtures');
  });
});
