import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Encoder } from '../contracts/encoder.js';
import { ConfigError, UnknownPluginError } from '../errors/errors.js';
import { deriveSeed } from '../module/seed.js';
import { Registry, registry } from './registry.js';

const fakeEncoder = (size: number): Encoder => ({
  outputSize: size,
  finalSizes: [size],
  encode: () => {
    throw new Error('not used');
  },
  parameters: () => new Map(),
  dispose: () => {},
});

describe('Registry', () => {
  it('builds a registered plugin by name, passing its options, seed, path and sizes', () => {
    const r = new Registry();
    const seen: unknown[] = [];
    r.register({
      kind: 'encoder',
      name: 'fake',
      create: (options, context) => {
        seen.push(options, context.seed, context.path, context.sizes);
        return fakeEncoder(options.size as number);
      },
    });
    const encoder = r.create(
      'encoder',
      { name: 'fake', size: 3 },
      { seed: 9, path: 'encoder', sizes: { sourceVocab: 4 } },
    );
    expect(encoder.outputSize).toBe(3);
    expect(seen).toEqual([{ size: 3 }, 9, 'encoder', { sourceVocab: 4 }]);
  });

  it('checks options against the schema a plugin declares, handing create the parsed options', () => {
    const r = new Registry();
    const seen: unknown[] = [];
    r.register({
      kind: 'encoder',
      name: 'declared',
      options: z.strictObject({
        size: z.int().positive().default(7),
        bidirectional: z.boolean().optional(),
      }),
      create: (options) => {
        seen.push(options);
        return fakeEncoder(options.size);
      },
    });
    expect(r.create('encoder', { name: 'declared' }).outputSize).toBe(7);
    expect(seen).toEqual([{ size: 7 }]);
    expect(() =>
      r.create('encoder', { name: 'declared', sise: 3 }, { path: 'model.encoder' }),
    ).toThrow(
      new ConfigError(
        "encoder 'declared': unknown option 'model.encoder.sise' (did you mean 'size'?); known options: size, bidirectional",
      ),
    );
    expect(() => r.create('encoder', { name: 'declared', size: 2.5 })).toThrow(
      /encoder 'declared': option 'encoder\.size': invalid input: expected int, received number, got 2\.5/,
    );
    expect(seen).toHaveLength(1);
  });

  it('builds nested components with a derived seed and a dotted path', () => {
    const r = new Registry();
    const paths: string[] = [];
    const seeds: number[] = [];
    r.register({
      kind: 'encoder',
      name: 'inner',
      create: (_o, c) => {
        paths.push(c.path);
        seeds.push(c.seed);
        return fakeEncoder(1);
      },
    });
    r.register({
      kind: 'encoder',
      name: 'outer',
      create: (_o, c) => c.build('encoder', { name: 'inner' }, 'child'),
    });
    r.create('encoder', { name: 'outer' }, { seed: 5, path: 'encoder' });
    expect(paths).toEqual(['encoder.child']);
    expect(seeds).toEqual([deriveSeed(5, 'child')]);
  });

  it('refuses a second factory under a taken name, naming it and the likely causes', () => {
    const r = new Registry();
    r.register({ kind: 'encoder', name: 'x', create: () => fakeEncoder(1) });
    const again = () => r.register({ kind: 'encoder', name: 'x', create: () => fakeEncoder(1) });
    expect(again).toThrow(/the encoder 'x' is already registered by another factory/);
    expect(again).toThrow(/two copies of the package .*npm dedupe.*rename one/);
  });

  it('takes the same factory twice as one registration (a module evaluated twice)', () => {
    const r = new Registry();
    const create = () => fakeEncoder(1);
    r.register({ kind: 'encoder', name: 'x', create });
    expect(() =>
      r.register({ kind: 'encoder', name: 'x', create, summary: 'again' }),
    ).not.toThrow();
    expect(r.names('encoder')).toEqual(['x']);
  });

  it('an unknown name fails with an error listing what is registered', () => {
    const r = new Registry();
    r.register({ kind: 'encoder', name: 'b', create: () => fakeEncoder(1) });
    r.register({ kind: 'encoder', name: 'a', create: () => fakeEncoder(1) });
    const attempt = () => r.create('encoder', { name: 'lstn' });
    expect(attempt).toThrow(UnknownPluginError);
    expect(attempt).toThrow("unknown encoder 'lstn'; registered encoders: a, b");
    expect(() => r.create('decoder', { name: 'x' })).toThrow(/registered decoders: \(none/);
  });

  it('rejects a config without a name', () => {
    expect(() => new Registry().create('encoder', { size: 3 } as never)).toThrow(ConfigError);
  });

  it('unregisters, and refuses to unregister what is not there', () => {
    const r = new Registry();
    r.register({
      kind: 'search',
      name: 's',
      create: () => ({ name: 's', search: async () => [] }),
    });
    r.unregister('search', 's');
    expect(r.has('search', 's')).toBe(false);
    expect(() => r.unregister('search', 's')).toThrow(UnknownPluginError);
  });

  it('comes with core’s softmax output layer', () => {
    expect(new Registry().names('output')).toEqual(['softmax']);
  });

  it('is one process-wide instance even if @s2s/core is loaded twice', () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('@s2s/core/registry')]).toBe(
      registry,
    );
  });
});
