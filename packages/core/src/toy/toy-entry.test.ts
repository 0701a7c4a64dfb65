import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module specifier a source file imports or re-exports from. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)].map((m) => m[1]!);
}

/** The packages reachable from `entry` through relative imports, walked by hand. */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return packages;
}

describe('@s2s/core/toy', () => {
  it('reaches no test runner, so it works after a plain install of @s2s/core', () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const reached = packagesReachedFrom(entry);
    expect(reached.has('@tensorflow/tfjs')).toBe(true); // the walk does follow imports
    expect([...reached].filter((p) => p.startsWith('vitest'))).toEqual([]);
  });

  it('the testing entry point, by contrast, needs vitest (which the walk detects)', () => {
    const entry = fileURLToPath(new URL('../testing/index.ts', import.meta.url));
    expect(packagesReachedFrom(entry).has('vitest')).toBe(true);
  });
});
