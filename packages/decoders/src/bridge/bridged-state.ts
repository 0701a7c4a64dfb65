import {
  type Bridge,
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  knownOptions,
  type Memory,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import type { DecoderRnnSizes } from '../rnn/decoder-rnn.js';
import {
  constructOwning,
  type RecurrentDecoderOptions,
  recurrentOptionNames,
  resolveRecurrent,
  targetVocabOf,
} from '../rnn/recurrent-options.js';

/**
 * Builds the `bridge` option of a decoder config through the registry, asking for a
 * context of `size` (passed to the bridge as `sizes.query`, which size-configurable
 * bridges default to). Returns undefined when the option is absent.
 */
export function buildBridge(
  context: BuildContext,
  config: unknown,
  size: number,
): Bridge | undefined {
  if (config === undefined) return undefined;
  return context.build('bridge', config as ComponentConfig, 'bridge', {
    ...context.sizes,
    query: size,
  });
}

/** What differs between the factories of decoders that cannot work without a bridge. */
export interface BridgedFactorySpec<O, D> {
  /** Config options besides the recurrent ones and `bridge`. */
  readonly extraOptions: readonly string[];
  /** What c is for, said when the bridge is missing. */
  readonly role: string;
  /** The context size to ask the bridge for. */
  bridgeSize(sizes: DecoderRnnSizes): number;
  make(config: O, bridge: Bridge, seed: number): D;
}

/**
 * A registry factory for a decoder built around a required bridge: checks the option
 * names, builds the bridge, and disposes it again if the decoder rejects an option.
 */
export function createWithBridge<O extends RecurrentDecoderOptions, D>(
  owner: string,
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
  spec: BridgedFactorySpec<O, D>,
): D {
  knownOptions(owner, options, [...recurrentOptionNames, 'bridge', ...spec.extraOptions]);
  const config = { ...options, vocabSize: targetVocabOf(owner, context) } as unknown as O;
  const sizes = resolveRecurrent(owner, config, 0);
  if (options.bridge === undefined) {
    throw new ConfigError(
      `${context.path}: the ${owner} needs a 'bridge' config that gives ${spec.role}, e.g. { name: 'projected' }`,
    );
  }
  const bridge = buildBridge(context, options.bridge, spec.bridgeSize(sizes))!;
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
