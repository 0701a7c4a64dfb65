import { defineConfig } from 'vitest/config';

/**
 * Vitest settings shared by every package. Tests import sibling packages through
 * their `source` export condition, so they run against `src/` without a build.
 */
export function packageConfig(root: string) {
  return defineConfig({
    root,
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // tfjs keeps one global engine per process; isolate files, run them one at a time per
      // package so a backend switch in one file cannot race another.
      pool: 'forks',
      fileParallelism: false,
    },
  });
}
