import { type ComponentConfig, registry, type TaskExample, type Tokenizer } from '@s2s/core';
import { BpeTokenizer, type BpeTrainingOptions } from '@s2s/data';

/**
 * The tokenizer a config names. `bpe` without `merges` learns its merges from the inputs
 * and first references of `examples` together (one joint segmentation for both languages,
 * Sennrich et al. 2016), with the config's `vocabSize`, `minFrequency`, `normalize` and
 * `lowercase`; every other config is built through the registry as it is.
 */
export async function fitTokenizer(
  config: ComponentConfig,
  examples: readonly TaskExample[],
): Promise<Tokenizer> {
  if (config.name !== 'bpe' || 'merges' in config) return registry.create('tokenizer', config);
  const { name: _name, ...options } = config;
  return BpeTokenizer.train(trainingTexts(examples), options as BpeTrainingOptions);
}

function* trainingTexts(examples: readonly TaskExample[]): Generator<string> {
  for (const example of examples) {
    yield example.input;
    yield example.references[0]!;
  }
}
