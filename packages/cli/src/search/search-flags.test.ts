import '@s2s/search';
import { DEFAULT_MAX_LENGTH, type Hypothesis, registry, type SearchStrategy } from '@s2s/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliError } from '../cli/errors.js';
import { chooseSearch } from './search-flags.js';

/**
 * A strategy that only records the options it was built with, declaring the options it
 * accepts as a registered plugin does: a zod object schema, whose keys are its names.
 */
function recordingSearch(name: string, known: readonly string[]) {
  registry.register({
    kind: 'search',
    name,
    options: z.strictObject(Object.fromEntries(known.map((k) => [k, z.number().optional()]))),
    create: (options): SearchStrategy & { options: unknown } => ({
      name,
      options,
      search: async (): Promise<Hypothesis[][]> => [],
    }),
  });
}

const optionsOf = (s: SearchStrategy) => (s as unknown as { options: unknown }).options;

beforeAll(() => {
  recordingSearch('test-beam', ['beamSize', 'nBest', 'lengthPenalty', 'noRepeatNgramSize']);
  recordingSearch('test-sampling', ['temperature', 'topK', 'topP', 'samples', 'seed']);
});

describe('chooseSearch', () => {
  it("maps each flag onto the strategy's option", () => {
    const chosen = chooseSearch(
      { name: 'greedy' },
      { search: 'test-beam', beam: 4, alpha: 0.6, nbest: 3 },
    );
    expect(optionsOf(chosen.strategy)).toEqual({ beamSize: 4, lengthPenalty: 0.6, nBest: 3 });
    expect(chosen.settings).toEqual({
      name: 'test-beam',
      beamSize: 4,
      lengthPenalty: 0.6,
      nBest: 3,
      maxLength: DEFAULT_MAX_LENGTH,
    });
  });

  it('gives --nbest to a strategy that calls it samples', () => {
    const chosen = chooseSearch(
      { name: 'greedy' },
      { search: 'test-sampling', nbest: 5, temperature: 0.7, topK: 3, topP: 0.9, seed: 4 },
    );
    expect(optionsOf(chosen.strategy)).toEqual({
      samples: 5,
      temperature: 0.7,
      topK: 3,
      topP: 0.9,
      seed: 4,
    });
  });

  it('rejects a flag the strategy has no option for, naming the flag', () => {
    expect(() => chooseSearch({ name: 'greedy' }, { beam: 4 })).toThrow(
      new CliError("--beam does not apply to search 'greedy'"),
    );
    expect(() => chooseSearch({ name: 'greedy' }, { nbest: 2 })).toThrow(
      "--nbest does not apply to search 'greedy'",
    );
  });

  it('accepts --nbest 1 everywhere: one output is what every strategy gives', () => {
    expect(chooseSearch({ name: 'greedy' }, { nbest: 1 }).settings).toEqual({
      name: 'greedy',
      maxLength: DEFAULT_MAX_LENGTH,
    });
  });

  it("keeps the task's search options unless --search names another strategy", () => {
    const defaults = { name: 'test-beam', beamSize: 8, noRepeatNgramSize: 2, maxLength: 40 };
    const same = chooseSearch(defaults, { alpha: 1 });
    expect(same.settings).toEqual({
      name: 'test-beam',
      beamSize: 8,
      noRepeatNgramSize: 2,
      lengthPenalty: 1,
      maxLength: 40,
    });
    expect(same.maxLength).toBe(40);
    const other = chooseSearch(defaults, { search: 'greedy' });
    expect(other.settings).toEqual({ name: 'greedy', maxLength: 40 });
  });

  it('passes --search-option values as JSON when they parse, else as strings', () => {
    const chosen = chooseSearch(
      { name: 'test-beam' },
      { searchOption: ['noRepeatNgramSize=3', 'beamSize=2'] },
    );
    expect(optionsOf(chosen.strategy)).toEqual({ noRepeatNgramSize: 3, beamSize: 2 });
    expect(() => chooseSearch({ name: 'test-beam' }, { searchOption: ['oops'] })).toThrow(
      '--search-option expects key=value',
    );
    expect(() => chooseSearch({ name: 'test-beam' }, { searchOption: ['colour=blue'] })).toThrow(
      "unknown option 'search.colour'",
    );
  });

  it("checks the built-in strategies' options by their schemas, naming the option", () => {
    expect(() => chooseSearch({ name: 'beam' }, { searchOption: ['beamSzie=2'] })).toThrow(
      /unknown option 'search.beamSzie' \(did you mean 'beamSize'\?\)/,
    );
    expect(() => chooseSearch({ name: 'beam' }, { beam: 2, nbest: 3 })).toThrow(
      "search 'beam': option 'search.nBest': nBest must be at most beamSize (2), got 3",
    );
    expect(() => chooseSearch({ name: 'sampling' }, { topP: 0 })).toThrow(
      /option 'search.topP': too small: .*, got 0$/,
    );
    // sampling's schema names its n-best option `samples`: --nbest goes there.
    expect(
      optionsOf(chooseSearch({ name: 'greedy' }, { search: 'sampling', nbest: 3 }).strategy),
    ).toMatchObject({ samples: 3 });
  });

  it('takes --max-len over the task, and a default when neither says', () => {
    expect(chooseSearch({ name: 'greedy', maxLength: 40 }, { maxLen: 7 }).maxLength).toBe(7);
    expect(chooseSearch({ name: 'greedy' }, {}).maxLength).toBe(DEFAULT_MAX_LENGTH);
  });

  it('lists the registered strategies for an unknown name', () => {
    let message = '';
    try {
      chooseSearch({ name: 'greedy' }, { search: 'bean' });
    } catch (error) {
      message = (error as Error).message;
    }
    const [, listed] = /^unknown search 'bean'; registered searches: (.*)$/.exec(message) ?? [];
    expect(listed?.split(', ')).toEqual(
      expect.arrayContaining(['greedy', 'test-beam', 'test-sampling']),
    );
  });
});
