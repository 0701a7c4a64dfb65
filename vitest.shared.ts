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
      // A guard against hangs, not a speed check (speed is for bench/): the training tests
      // take ~30 s alone on two cores but over 90 s on a machine shared with other jobs,
      // which failed the newcomer check's `npm test` at 60 s.
      testTimeout: 300_000,
      hookTimeout: 300_000,
      // tfjs keeps one global engine per process, so files run one at a time and each pins
      // the backend it needs in beforeAll. They share one process (isolate: false): loading
      // tfjs and wasm again for every file cost more than the tests themselves.
      pool: 'forks',
      fileParallelism: false,
      isolate: false,
    },
  });
}
