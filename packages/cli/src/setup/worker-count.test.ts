import { afterEach, describe, expect, it, vi } from 'vitest';
import { workerCount } from './workers.js';

describe('workerCount', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes --workers over S2S_WORKERS, and S2S_WORKERS when it is a positive integer', () => {
    vi.stubEnv('S2S_WORKERS', '3');
    expect(workerCount(undefined)).toBe(3);
    expect(workerCount(2)).toBe(2);
  });

  it('names S2S_WORKERS and its value when it is not a positive integer', () => {
    vi.stubEnv('S2S_WORKERS', 'four');
    expect(() => workerCount(undefined)).toThrow(
      "environment: option 'S2S_WORKERS': expected a positive integer, got 'four'",
    );
    vi.stubEnv('S2S_WORKERS', '0');
    expect(() => workerCount(undefined)).toThrow(
      "environment: option 'S2S_WORKERS': too small: expected number to be >0, got '0'",
    );
  });
});
