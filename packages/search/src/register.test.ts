import { Registry, registry, searchOptionName } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { beamSearchOptions } from './beam/beam.js';
import { exactSearchOptions } from './exact/exact.js';
import { exhaustiveSearchOptions } from './exhaustive/exhaustive.js';
import { greedySearchOptions } from './greedy/greedy.js';
import './register.js';
import { samplingSearchOptions } from './sampling/sampling.js';

const schemas = {
  greedy: greedySearchOptions,
  beam: beamSearchOptions,
  sampling: samplingSearchOptions,
  exact: exactSearchOptions,
  exhaustive: exhaustiveSearchOptions,
};

describe('registered strategies', () => {
  it('declare their schemas, whose keys are the option names flags are mapped onto', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      const plugin = registry.get('search', name);
      expect(plugin.options, name).toBe(schema);
      expect(plugin.optionNames, name).toEqual(Object.keys(schema.shape));
    }
    expect(registry.get('search', 'greedy').optionNames).toEqual([]);
    expect(searchOptionName('beam', 'nBest')).toBe('nBest');
    expect(searchOptionName('sampling', 'nBest')).toBe('samples');
    expect(searchOptionName('exact', 'lengthPenalty')).toBe('lengthPenalty');
    expect(searchOptionName('exhaustive', 'beamSize')).toBeUndefined();
    expect(searchOptionName('greedy', 'topK')).toBeUndefined();
  });

  it('are checked when built by name, the option named by its path in the model', () => {
    expect(() => registry.create('search', { name: 'beam', beamSzie: 4 })).toThrow(
      /search 'beam': unknown option 'search.beamSzie' \(did you mean 'beamSize'\?\)/,
    );
    expect(() => registry.create('search', { name: 'sampling', temperature: -1 })).toThrow(
      "search 'sampling': option 'search.temperature': too small: expected number to be >0, got -1",
    );
    expect(() => registry.create('search', { name: 'greedy', beam: 2 })).toThrow(
      /search 'greedy': unknown option 'search.beam'; known options: none/,
    );
    const beam = registry.create('search', { name: 'beam', beamSize: 3 });
    expect(
      (beam as unknown as { options: { beamSize: number; nBest: number } }).options,
    ).toMatchObject({
      beamSize: 3,
      nBest: 1,
    });
  });

  it('keep working in another registry through the same definitions', () => {
    const own = new Registry();
    own.register({ ...registry.get('search', 'sampling') });
    expect(own.get('search', 'sampling').optionNames).toEqual(
      Object.keys(samplingSearchOptions.shape),
    );
  });
});
