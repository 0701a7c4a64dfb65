import {
  type ComponentConfig,
  ConfigError,
  registry,
  type SearchStrategy,
  type TaskSettings,
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

/** A search strategy built from a model's default search and the user's flags. */
export interface ChosenSearch {
  readonly strategy: SearchStrategy;
  readonly config: ComponentConfig;
  readonly maxLength: number;
}

/** Longest output when neither the task nor `--max-len` says. */
export const DEFAULT_MAX_LENGTH = 100;

/**
 * Each flag's strategy option, by the names the registered strategies use; where they
 * differ (sampling draws `samples` where beam search keeps an `nBest`), the first name the
 * strategy accepts is taken.
 */
const optionNames: Record<string, readonly string[]> = {
  beam: ['beamSize'],
  alpha: ['lengthPenalty'],
  nbest: ['nBest', 'samples'],
  temperature: ['temperature'],
  topK: ['topK'],
  topP: ['topP'],
  seed: ['seed'],
};

const flagSpelling: Record<string, string> = {
  beam: '--beam',
  alpha: '--alpha',
  nbest: '--nbest',
  temperature: '--temperature',
  topK: '--top-k',
  topP: '--top-p',
  seed: '--seed',
};

/**
 * Builds the search strategy through the registry: the model's default search (its task
 * settings), replaced by `--search NAME` when that names another strategy, with each flag
 * given mapped onto the strategy's option. A flag the strategy has no option for is an
 * error naming the flag.
 */
export function chooseSearch(defaults: TaskSettings['search'], flags: SearchFlags): ChosenSearch {
  const { maxLength: defaultMax, ...base } = defaults;
  const name = flags.search ?? base.name;
  if (!registry.has('search', name)) {
    throw new CliError(
      `unknown search '${name}'; registered searches: ${registeredNames('search')}`,
    );
  }
  let config: Record<string, unknown> = name === base.name ? { ...base } : { name };
  for (const entry of flags.searchOption ?? []) config = { ...config, ...parseOption(entry) };
  const given = Object.keys(optionNames).filter(
    (flag) =>
      flags[flag as keyof SearchFlags] !== undefined && !(flag === 'nbest' && flags.nbest === 1),
  );
  const choice = given.map((flag) => ({ flag, names: optionNames[flag]!, at: 0 }));
  for (;;) {
    const attempt = { ...config };
    for (const c of choice) attempt[c.names[c.at]!] = flags[c.flag as keyof SearchFlags];
    try {
      const strategy = registry.create('search', attempt as ComponentConfig);
      return {
        strategy,
        config: attempt as ComponentConfig,
        maxLength: flags.maxLen ?? defaultMax ?? DEFAULT_MAX_LENGTH,
      };
    } catch (error) {
      const rejected = error instanceof ConfigError ? unknownOption(error.message) : undefined;
      const c = choice.find((x) => x.names[x.at] === rejected);
      if (!c) throw error;
      if (++c.at === c.names.length) {
        throw new CliError(`${flagSpelling[c.flag]} does not apply to search '${name}'`);
      }
    }
  }
}

/** The option a strategy rejected as unknown, from core's `knownOptions` message. */
function unknownOption(message: string): string | undefined {
  return /unknown option '([^']+)'/.exec(message)?.[1];
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
