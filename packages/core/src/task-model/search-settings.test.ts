import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Hypothesis, SearchStrategy } from '../contracts/search.js';
import { ConfigError, UnknownPluginError } from '../errors/errors.js';
import { Registry } from '../registry/registry.js';
import {
  DEFAULT_MAX_LENGTH,
  overrideSearch,
  resolveSearch,
  searchOptionName,
} from './search-settings.js';

/**
 * Records the options it is built with; when `declare` is set, declares them as a zod
 * object schema (the registry derives the names from its keys).
 */
function register(registry: Registry, name: string, known: readonly string[], declare = true) {
  const schema = z.strictObject(Object.fromEntries(known.map((k) => [k, z.number().optional()])));
  registry.register({
    kind: 'search',
    name,
    ...(declare ? { options: schema } : {}),
    create: (options): SearchStrategy & { options: unknown } => ({
      name,
      options,
      search: async (): Promise<Hypothesis[][]> => [],
    }),
  });
}

const registry = new Registry();
register(registry, 'beam', ['beamSize', 'nBest', 'lengthPenalty']);
register(registry, 'sampling', ['samples', 'temperature', 'seed']);
register(registry, 'greedy', []);
register(registry, 'undeclared', ['nBest'], false);

describe('search settings', () => {
  it('finds each common option under the name the strategy declares, without trying', () => {
    expect(searchOptionName('beam', 'nBest', registry)).toBe('nBest');
    expect(searchOptionName('sampling', 'nBest', registry)).toBe('samples');
    expect(searchOptionName('greedy', 'nBest', registry)).toBeUndefined();
    expect(searchOptionName('sampling', 'beamSize', registry)).toBeUndefined();
    // A plugin that declares nothing gets the usual name; its own checks speak for it.
    expect(searchOptionName('undeclared', 'nBest', registry)).toBe('nBest');
    expect(() => searchOptionName('bean', 'nBest', registry)).toThrow(UnknownPluginError);
  });

  it('derives the names from the keys of the schema, through refinements and defaults', () => {
    const own = new Registry();
    const keys = { beamSize: z.int().default(1), nBest: z.int().default(1) };
    own.register({
      kind: 'search',
      name: 'refined',
      options: z.strictObject(keys).refine((o) => o.nBest <= o.beamSize),
      create: () => ({ name: 'refined', search: async () => [] }),
    });
    own.register({
      kind: 'search',
      name: 'defaulted',
      options: z.strictObject({ samples: z.int().optional() }).default({}),
      create: () => ({ name: 'defaulted', search: async () => [] }),
    });
    expect(own.get('search', 'refined').optionNames).toEqual(['beamSize', 'nBest']);
    expect(searchOptionName('refined', 'nBest', own)).toBe('nBest');
    expect(searchOptionName('defaulted', 'nBest', own)).toBe('samples');
    expect(searchOptionName('defaulted', 'beamSize', own)).toBeUndefined();
  });

  it('lays overrides over the settings, keeping options unless the strategy changes', () => {
    const base = { name: 'beam', beamSize: 8, lengthPenalty: 0.6, maxLength: 40 };
    expect(overrideSearch(base, { nBest: 3 }, registry)).toEqual({ ...base, nBest: 3 });
    expect(overrideSearch(base, { name: 'sampling', nBest: 4, seed: 2 }, registry)).toEqual({
      name: 'sampling',
      samples: 4,
      seed: 2,
      maxLength: 40,
    });
    expect(
      overrideSearch(
        base,
        { options: { beamSize: 2, nBest: 2 }, nBest: 1, maxLength: 9 },
        registry,
      ),
    ).toEqual({ name: 'beam', beamSize: 2, lengthPenalty: 0.6, nBest: 1, maxLength: 9 });
  });

  it('refuses a common option the strategy has none for, except one hypothesis', () => {
    expect(overrideSearch({ name: 'greedy' }, { nBest: 1 }, registry)).toEqual({ name: 'greedy' });
    expect(() => overrideSearch({ name: 'greedy' }, { nBest: 2 }, registry)).toThrow(
      new ConfigError("search 'greedy' has no option for nBest; its options: (none)"),
    );
    expect(() => overrideSearch({ name: 'sampling' }, { beamSize: 2 }, registry)).toThrow(
      "search 'sampling' has no option for beamSize; its options: samples, temperature, seed",
    );
  });

  it('builds the strategy through the registry, with a default length limit', () => {
    const resolved = resolveSearch({ name: 'beam', beamSize: 3 }, registry);
    expect(resolved.strategy.name).toBe('beam');
    expect((resolved.strategy as unknown as { options: unknown }).options).toEqual({
      beamSize: 3,
    });
    expect(resolved.maxLength).toBe(DEFAULT_MAX_LENGTH);
    expect(resolved.settings).toEqual({ name: 'beam', beamSize: 3, maxLength: DEFAULT_MAX_LENGTH });
    expect(resolveSearch({ name: 'greedy', maxLength: 7 }, registry).maxLength).toBe(7);
    expect(() => resolveSearch({ name: 'beam', colour: 1 }, registry)).toThrow(
      "unknown option 'search.colour'",
    );
  });
});
