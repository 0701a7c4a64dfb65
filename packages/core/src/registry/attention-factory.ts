import type { Attention } from '../contracts/attention.js';
import { ConfigError } from '../errors/errors.js';
import type { BuildContext } from './registry.js';

/** The sizes every attention takes from the decoder that builds it. */
export interface DecoderSizes {
  /** Size H of the encoder states attended to (`context.sizes.memory`). */
  readonly memorySize: number;
  /** Size of the decoder's query (`context.sizes.query`). */
  readonly querySize: number;
}

/**
 * A registry factory for an attention class: takes the memory and query sizes from the
 * decoder that builds it (failing at the component's path without them), adds them to
 * the options, and passes the component's seed. Pair it with the plugin's `options`
 * schema, which the registry checks before the factory runs.
 *
 * @param owner how errors name the plugin, e.g. `bahdanau attention`
 */
export function attentionFactory<O extends DecoderSizes, A extends Attention>(
  owner: string,
  build: (options: O, seed: number) => A,
): (options: Omit<O, keyof DecoderSizes>, context: BuildContext) => A {
  return (options, context) => {
    const { memory, query } = context.sizes;
    if (memory === undefined || query === undefined) {
      throw new ConfigError(
        `${context.path}: ${owner} needs the memory and query sizes from its decoder (sizes.memory ${memory}, sizes.query ${query})`,
      );
    }
    return build({ ...options, memorySize: memory, querySize: query } as O, context.seed);
  };
}
