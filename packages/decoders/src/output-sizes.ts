import { type BuildContext, ConfigError } from '@s2s/core';

/**
 * The sizes an output layer takes from its build context: the decoder's feature size as
 * its input and the target vocabulary; a context without them is a `ConfigError`.
 */
export function outputSizes(
  owner: string,
  context: BuildContext,
): { inputSize: number; vocabSize: number } {
  const { features, targetVocab } = context.sizes;
  if (features === undefined || targetVocab === undefined) {
    throw new ConfigError(`${context.path}: the ${owner} needs the feature and vocabulary sizes`);
  }
  return { inputSize: features, vocabSize: targetVocab };
}
