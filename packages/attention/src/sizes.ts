import { type BuildContext, ConfigError } from '@s2s/core';

/**
 * The memory and query sizes a decoder hands to the attention it builds; every attention
 * factory needs both and fails with the component's path when they are missing.
 */
export function decoderSizes(
  owner: string,
  context: BuildContext,
): { memorySize: number; querySize: number } {
  const { memory, query } = context.sizes;
  if (memory === undefined || query === undefined) {
    throw new ConfigError(
      `${context.path}: ${owner} needs the memory and query sizes from its decoder`,
    );
  }
  return { memorySize: memory, querySize: query };
}
