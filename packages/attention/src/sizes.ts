import { type BuildContext, ConfigError, knownOptions } from '@s2s/core';

/** The sizes every attention takes from the decoder that builds it. */
export interface DecoderSizes {
  readonly memorySize: number;
  readonly querySize: number;
}

/**
 * A registry factory for an attention class: rejects options outside `known`, takes the
 * memory and query sizes from the decoder (failing at the component's path without them)
 * and passes the component's seed.
 */
export function attentionFactory<O extends DecoderSizes, A>(
  owner: string,
  known: readonly string[],
  build: (options: O, seed: number) => A,
): (options: Readonly<Record<string, unknown>>, context: BuildContext) => A {
  return (options, context) => {
    knownOptions(owner, options, known);
    const { memory, query } = context.sizes;
    if (memory === undefined || query === undefined) {
      throw new ConfigError(
        `${context.path}: ${owner} needs the memory and query sizes from its decoder`,
      );
    }
    return build({ ...options, memorySize: memory, querySize: query } as O, context.seed);
  };
}
