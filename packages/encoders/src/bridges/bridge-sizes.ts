import { type BuildContext, ConfigError, positiveInt } from '@s2s/core';

/** Size of the encoder's top final state, from the sizes a decoder passes to its bridge. */
export function topFinalSize(owner: string, context: BuildContext): number {
  const final = context.sizes.final;
  if (!final || final.length === 0) {
    throw new ConfigError(`${owner}: needs the encoder's final state sizes (sizes.final)`);
  }
  return final[final.length - 1]!;
}

/** Size of the encoder states, from the sizes a decoder passes to its bridge. */
export function memorySize(owner: string, context: BuildContext): number {
  if (context.sizes.memory === undefined) {
    throw new ConfigError(`${owner}: needs the encoder's state size (sizes.memory)`);
  }
  return context.sizes.memory;
}

/** The context size a bridge with parameters produces: option `size`, else the decoder's. */
export function outputSize(owner: string, size: unknown, context: BuildContext): number {
  const query = context.sizes.query;
  if (size !== undefined) {
    const n = positiveInt(owner, 'size', size);
    if (query !== undefined && query !== n) {
      throw new ConfigError(
        `${owner}: option 'size' is ${n} but the decoder's hidden size is ${query}; leave 'size' out or make them equal`,
      );
    }
    return n;
  }
  if (query === undefined) {
    throw new ConfigError(
      `${owner}: set option 'size' or build it with the decoder's hidden size (sizes.query)`,
    );
  }
  return query;
}
