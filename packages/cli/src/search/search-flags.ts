import {
  type CommonSearchOptions,
  overrideSearch,
  type ResolvedSearch,
  registry,
  resolveSearch,
  type SearchSettings,
  searchOptionName,
} from '@s2s/core';
import { CliError } from '../cli/errors.js';
import { registeredNames } from '../setup/plugins.js';

/** The search flags every decoding verb takes. */
export interface SearchFlags {
  readonly search?: string;
  readonly beam?: number;
  readonly alpha?: number;
  readonly nbest?: number;
  readonly maxLen?: number;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
  /** `key=value` options passed to the strategy as they are. */
  readonly searchOption?: readonly string[];
}

/** Each flag's common search option (core maps it onto the strategy's declared name). */
const flagOptions = {
  beam: ['--beam', 'beamSize'],
  alpha: ['--alpha', 'lengthPenalty'],
  nbest: ['--nbest', 'nBest'],
  temperature: ['--temperature', 'temperature'],
  topK: ['--top-k', 'topK'],
  topP: ['--top-p', 'topP'],
  seed: ['--seed', 'seed'],
} as const satisfies Record<string, readonly [string, keyof CommonSearchOptions]>;

/**
 * The search a decoding verb uses: the model's default search (its task settings),
 * replaced by `--search NAME` when that names another strategy, with each flag given set
 * on the option the strategy declares for it. A flag the strategy has no option for is an
 * error naming the flag.
 */
export function chooseSearch(defaults: SearchSettings, flags: SearchFlags): ResolvedSearch {
  const name = flags.search ?? defaults.name;
  if (!registry.has('search', name)) {
    throw new CliError(
      `unknown search '${name}'; registered searches: ${registeredNames('search')}`,
    );
  }
  const common: Record<string, number> = {};
  for (const [flag, [spelling, option]] of Object.entries(flagOptions)) {
    const value = flags[flag as keyof typeof flagOptions];
    if (value === undefined || (option === 'nBest' && value === 1)) continue;
    if (searchOptionName(name, option) === undefined) {
      throw new CliError(`${spelling} does not apply to search '${name}'`);
    }
    common[option] = value;
  }
  let options: Record<string, unknown> = {};
  for (const entry of flags.searchOption ?? []) options = { ...options, ...parseOption(entry) };
  return resolveSearch(
    overrideSearch(defaults, {
      ...common,
      ...(flags.search === undefined ? {} : { name: flags.search }),
      ...(flags.maxLen === undefined ? {} : { maxLength: flags.maxLen }),
      options,
    }),
  );
}

function parseOption(entry: string): Record<string, unknown> {
  const at = entry.indexOf('=');
  if (at <= 0) throw new CliError(`--search-option expects key=value, got '${entry}'`);
  const raw = entry.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string such as `earlyStopping=never`.
  }
  return { [entry.slice(0, at)]: value };
}
