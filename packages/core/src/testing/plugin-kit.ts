import { describe, expect, it } from 'vitest';
import { importWeights } from '../checkpoint/weights.js';
import type { Module } from '../contracts/module.js';
import { ConfigError } from '../errors/errors.js';
import {
  registry as globalRegistry,
  type PluginKind,
  type PluginKinds,
  type Registry,
  type Sizes,
} from '../registry/registry.js';

/** How a kit builds the plugin under test by its registered name. */
export interface PluginKitOptions {
  /** The registered name. */
  readonly name: string;
  /** Options of a valid config (without `name`). Default none. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The sizes a model would give it. */
  readonly sizes?: Sizes;
  /** Default: the process-wide registry the plugin's package filled on import. */
  readonly registry?: Registry;
  /**
   * Whether a config with an option the plugin does not know must be refused. Default
   * true: a typo that silently falls back to a default is a bug.
   */
  readonly rejectsUnknownOptions?: boolean;
}

/**
 * The registration suite, run by every kit given `plugin`: the plugin is built by name
 * through the registry (its factory and option check included), refuses an unknown
 * option naming it, and — for modules with parameters — a second copy built by name with
 * another seed takes the first one's weights exactly, which is how a saved model loads.
 */
export function describePlugin<K extends PluginKind>(
  kind: K,
  plugin: PluginKitOptions,
  /** What the kit computes with a built plugin, to compare the copy with the original. */
  probe?: (built: PluginKinds[K]) => number[],
): void {
  const registry = plugin.registry ?? globalRegistry;
  const build = (seed: number, extra: Record<string, unknown> = {}) =>
    registry.create(
      kind,
      { name: plugin.name, ...plugin.options, ...extra },
      { seed, path: kind, sizes: plugin.sizes ?? {} },
    ) as PluginKinds[K];
  const dispose = (built: unknown) => (built as Partial<Module>).dispose?.();

  describe(`registration: ${kind} '${plugin.name}'`, () => {
    it('is registered under its name and built from a config that names it', () => {
      expect(registry.names(kind)).toContain(plugin.name);
      dispose(build(1));
    });

    if (plugin.rejectsUnknownOptions ?? true) {
      it('refuses an option it does not know, naming it', () => {
        let error: unknown;
        try {
          dispose(build(1, { notAnOptionOfThisPlugin: 1 }));
        } catch (e) {
          error = e;
        }
        expect(error, 'an unknown option was accepted').toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain('notAnOptionOfThisPlugin');
      });
    }

    it('loads by name: a copy built with another seed takes its weights exactly', () => {
      const original = build(1) as unknown as Partial<Module>;
      const copy = build(2) as unknown as Partial<Module>;
      if (!original.parameters || !copy.parameters) return void [original, copy].map(dispose);
      const params = original.parameters();
      expect([...copy.parameters().keys()].sort()).toEqual([...params.keys()].sort());
      importWeights(copy as Module, params);
      const copied = copy.parameters();
      for (const [path, variable] of params) {
        expect(copied.get(path)!.shape, path).toEqual(variable.shape);
        expect(Array.from(copied.get(path)!.dataSync()), path).toEqual(
          Array.from(variable.dataSync()),
        );
      }
      if (probe) {
        const [ours, theirs] = [original, copy].map((m) => probe(m as PluginKinds[K]));
        expect(theirs, 'the copy computes what the original computes').toEqual(ours);
      }
      dispose(original);
      dispose(copy);
    });
  });
}
