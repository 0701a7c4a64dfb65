import type { SearchStrategy } from '../contracts/search.js';
import { ConfigError } from '../errors/errors.js';
import {
  type ComponentConfig,
  registry as globalRegistry,
  type Registry,
} from '../registry/registry.js';

/**
 * A search as task settings write it: a registered strategy by name with its options, and
 * the longest output in tokens (`<eos>` included).
 */
export type SearchSettings = ComponentConfig & { readonly maxLength?: number };

/**
 * Options most strategies share, by what they mean. Each goes to the name the chosen
 * strategy declares for it (beam search's `nBest` is sampling's `samples`).
 */
export interface CommonSearchOptions {
  /** Beam width k. */
  readonly beamSize?: number;
  /** α of the length normalisation log P / L^α. */
  readonly lengthPenalty?: number;
  /** Hypotheses returned per input. 1 is accepted by every strategy. */
  readonly nBest?: number;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
}

/** What a search setting is changed by: another strategy, common options, raw options. */
export interface SearchOverrides extends CommonSearchOptions {
  /**
   * Another registered strategy. The settings' own options are then dropped, since one
   * strategy's options mean nothing to another.
   */
  readonly name?: string;
  readonly maxLength?: number;
  /** Options given to the strategy as they are; a common option given too wins. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A strategy built from search settings, with the length limit to call it with. */
export interface ResolvedSearch {
  readonly strategy: SearchStrategy;
  /** The settings it was built from, `maxLength` resolved. */
  readonly settings: SearchSettings & { readonly maxLength: number };
  readonly maxLength: number;
}

/** Longest output when the settings do not say. */
export const DEFAULT_MAX_LENGTH = 100;

/** The option names each common option may have, in the order they are tried. */
const optionNames: Readonly<Record<keyof CommonSearchOptions, readonly string[]>> = {
  beamSize: ['beamSize'],
  lengthPenalty: ['lengthPenalty'],
  nBest: ['nBest', 'samples'],
  temperature: ['temperature'],
  topK: ['topK'],
  topP: ['topP'],
  seed: ['seed'],
};

/** The common options, in a stable order. */
export const commonSearchOptions = Object.keys(optionNames) as (keyof CommonSearchOptions)[];

/**
 * The option of strategy `name` that carries `option`, read from the options its plugin
 * declares; `undefined` when it has none. A plugin that declares no options gets the usual
 * name, and its own validation speaks for it.
 */
export function searchOptionName(
  name: string,
  option: keyof CommonSearchOptions,
  registry: Registry = globalRegistry,
): string | undefined {
  const declared = declaredOptions(registry, name);
  const candidates = optionNames[option];
  if (!declared) return candidates[0];
  return candidates.find((c) => declared.includes(c));
}

/**
 * The option names strategy `name` declares (its `optionNames`, which the registry derives
 * from its zod object schema); `undefined` when it declares none.
 */
function declaredOptions(registry: Registry, name: string): readonly string[] | undefined {
  return registry.get('search', name).optionNames;
}

/**
 * Search settings with `overrides` laid over them. A common option the strategy has no
 * option for is a {@link ConfigError}, except `nBest: 1`, which every strategy gives.
 */
export function overrideSearch(
  base: SearchSettings,
  overrides: SearchOverrides,
  registry: Registry = globalRegistry,
): SearchSettings {
  const name = overrides.name ?? base.name;
  const maxLength = overrides.maxLength ?? base.maxLength;
  const { maxLength: _max, ...baseOptions } = base;
  const out: Record<string, unknown> = name === base.name ? { ...baseOptions } : { name };
  Object.assign(out, overrides.options);
  for (const option of commonSearchOptions) {
    const value = overrides[option];
    if (value === undefined) continue;
    const key = searchOptionName(name, option, registry);
    if (key === undefined) {
      if (option === 'nBest' && value === 1) continue;
      throw new ConfigError(
        `search '${name}' has no option for ${option}; its options: ${declaredOptions(registry, name)?.join(', ') || '(none)'}`,
      );
    }
    out[key] = value;
  }
  return { ...(out as ComponentConfig), ...(maxLength === undefined ? {} : { maxLength }) };
}

/** Builds the strategy search settings name, through the registry. */
export function resolveSearch(
  settings: SearchSettings,
  registry: Registry = globalRegistry,
): ResolvedSearch {
  const { maxLength = DEFAULT_MAX_LENGTH, ...config } = settings;
  const strategy = registry.create('search', config as ComponentConfig);
  return { strategy, settings: { ...settings, maxLength }, maxLength };
}
