import {
  type Bridge,
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  type Memory,
  parseOptions,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { DecoderRnnSizes } from '../rnn/decoder-rnn.js';
import {
  componentConfig,
  constructOwning,
  type ResolvedRecurrent,
  recurrentShape,
  recurrentSizes,
  targetVocabOf,
} from '../rnn/recurrent-options.js';

/**
 * Builds the `bridge` option of a decoder config through the registry, asking for a
 * context of `size` (passed to the bridge as `sizes.query`, which size-configurable
 * bridges default to). Returns undefined when the option is absent.
 */
export function buildBridge(
  context: BuildContext,
  config: ComponentConfig | undefined,
  size: number,
): Bridge | undefined {
  if (config === undefined) return undefined;
  return context.build('bridge', config, 'bridge', {
    ...context.sizes,
    query: size,
  });
}

/**
 * The config schema of a decoder that cannot work without a bridge: the shared recurrent
 * options, a required `bridge` and its own `extra` options.
 */
export function bridgedDecoderOptions<E extends z.ZodRawShape>(role: string, extra: E) {
  return z.strictObject({
    ...recurrentShape,
    bridge: componentConfig('a bridge', "{ name: 'projected' }", role).describe(
      `The bridge that gives ${role}`,
    ),
    ...extra,
  });
}

/** What differs between the factories of decoders that cannot work without a bridge. */
export interface BridgedFactorySpec<O extends BridgedConfig, D> {
  /** The decoder's config schema, from {@link bridgedDecoderOptions}. */
  readonly options: z.ZodType<O>;
  /** The context size to ask the bridge for. */
  bridgeSize(sizes: DecoderRnnSizes): number;
  make(config: Omit<O, 'bridge'> & { readonly vocabSize: number }, bridge: Bridge, seed: number): D;
}

/** The parsed config of a decoder around a required bridge. */
export type BridgedConfig = Omit<ResolvedRecurrent, 'vocabSize'> & {
  readonly bridge: ComponentConfig;
};

/**
 * A registry factory for a decoder built around a required bridge: parses the options
 * (naming a bad one by its path in the model), builds the bridge, and disposes it again if
 * the decoder rejects an option.
 */
export function createWithBridge<O extends BridgedConfig, D>(
  owner: string,
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
  spec: BridgedFactorySpec<O, D>,
): D {
  const { bridge: bridgeOptions, ...rest } = parseOptions(
    owner,
    spec.options,
    options,
    context.path,
  );
  const config = { ...rest, vocabSize: targetVocabOf(owner, context) };
  const bridge = buildBridge(context, bridgeOptions, spec.bridgeSize(recurrentSizes(config, 0)))!;
  return constructOwning([bridge], () => spec.make(config, bridge, context.seed));
}

/**
 * Checks that a bridge can start `layers` layers of size `hidden`: its context must be H
 * (every layer starts from it) or L·H (layer l starts from the l-th slice).
 */
export function checkBridgeForLayers(
  owner: string,
  bridge: Bridge,
  layers: number,
  hidden: number,
): void {
  const size = bridge.outputSize;
  if (size !== hidden && size !== layers * hidden) {
    const sizes =
      layers > 1
        ? `hiddenSize (${hidden}) or layers × hiddenSize (${layers * hidden})`
        : `hiddenSize (${hidden})`;
    throw new ConfigError(
      `${owner}: option 'bridge' gives a context of size ${size}, expected ${sizes}`,
    );
  }
}

/**
 * h_0 of every layer from the bridge's context c: c itself when its size is H, else the
 * l-th H-wide slice of c for layer l.
 */
export function bridgedInitialStates(
  bridge: Bridge,
  memory: Memory,
  layers: number,
  hidden: number,
  options: RunOptions,
): tf.Tensor2D[] {
  return tf.tidy(() => {
    const c = bridge.context(memory, options);
    return c.shape[1] === hidden
      ? Array.from({ length: layers }, () => c.clone())
      : (tf.split(c, layers, 1) as tf.Tensor2D[]);
  });
}

/** h_0 = 0 for every layer. */
export function zeroInitialStates(memory: Memory, layers: number, hidden: number): tf.Tensor2D[] {
  const b = memory.states.shape[0];
  return Array.from({ length: layers }, () => tf.zeros([b, hidden]) as tf.Tensor2D);
}
