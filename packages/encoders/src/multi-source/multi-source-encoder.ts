import {
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  type EncodeOptions,
  type Encoder,
  knownOptions,
  type Memory,
  ShapeError,
  type SourceInputs,
  tidyTree,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';

/**
 * Which final states `Memory.final` carries, for the bridge that starts the decoder:
 * `main`, a further source's name, or `all` (the main source's, then each further
 * source's, bottom layer first; a `top` bridge then reads the last source's top layer).
 */
export type FinalSource = string;

/** The encoders a {@link MultiSourceEncoder} runs. */
export interface MultiSourceEncoderParts {
  /** Reads the main source (the passage). */
  readonly main: Encoder;
  /** One encoder per further named source (the question). */
  readonly sources: Readonly<Record<string, Encoder>>;
}

const owner = 'multi-source encoder';

/** Suffix of the input holding a further source's `[B, S']` mask: `question` → `questionMask`. */
export const MASK_SUFFIX = 'Mask';

/**
 * Runs one encoder per source: the main source (the passage) as usual, and each further
 * source `name` from the named inputs `name` (ids or frames) and `nameMask` (`[B, S']`,
 * 1 = real). `Memory.states`/`mask` are the main source's; the memory of each further
 * source, `{ states, mask, final }`, is in `Memory.extras[name]`, batch-major, so search
 * reorders it with everything else and a multi-source attention can attend to it.
 * `sourceSizes` tells such an attention the size of each further source's states.
 */
export class MultiSourceEncoder implements Encoder {
  readonly outputSize: number;
  readonly finalSizes: readonly number[];
  /** Size of each further source's states, by name. */
  readonly sourceSizes: Readonly<Record<string, number>>;
  private readonly main: Encoder;
  private readonly sources: Readonly<Record<string, Encoder>>;
  private readonly final: FinalSource;

  constructor(parts: MultiSourceEncoderParts, options: { readonly final?: FinalSource } = {}) {
    const names = Object.keys(parts.sources);
    if (names.length === 0) throw new ConfigError(`${owner}: needs at least one further source`);
    const final = options.final ?? 'all';
    if (final !== 'all' && final !== 'main' && !names.includes(final)) {
      throw new ConfigError(
        `${owner}: option 'final' must be all, main or a source name (${names.join(', ')}), got ${JSON.stringify(final)}`,
      );
    }
    this.main = parts.main;
    this.sources = parts.sources;
    this.final = final;
    this.outputSize = parts.main.outputSize;
    this.sourceSizes = Object.fromEntries(names.map((n) => [n, parts.sources[n]!.outputSize]));
    const finals = (name: string) =>
      name === 'main' ? parts.main.finalSizes : parts.sources[name]!.finalSizes;
    this.finalSizes = final === 'all' ? ['main', ...names].flatMap(finals) : [...finals(final)];
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D, options: EncodeOptions): Memory {
    const b = mask.shape[0];
    const inputs = Object.entries(this.sources).map(([name, encoder]) => ({
      name,
      encoder,
      ...sourceInput(options.inputs, name, b),
    }));
    return tidyTree(() => {
      const main = this.main.encode(source, mask, options);
      const extras: Record<string, Memory> = {};
      for (const { name, encoder, ids, mask: m } of inputs) {
        const memory = encoder.encode(ids, m, options);
        extras[name] = { states: memory.states, mask: memory.mask, final: memory.final };
      }
      const finals = (name: string) => (name === 'main' ? main.final : extras[name]!.final);
      const final =
        this.final === 'all'
          ? ['main', ...Object.keys(extras)].flatMap(finals)
          : [...finals(this.final)];
      return { states: main.states, mask: main.mask, final, extras: { ...main.extras, ...extras } };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [prefix, encoder] of [
      ['main', this.main],
      ...Object.entries(this.sources),
    ] as const) {
      for (const [name, variable] of encoder.parameters()) out.set(`${prefix}.${name}`, variable);
    }
    return out;
  }

  dispose(): void {
    this.main.dispose();
    for (const encoder of Object.values(this.sources)) encoder.dispose();
  }
}

/** The ids and mask of source `name`, checked against the batch size `b`. */
function sourceInput(
  inputs: SourceInputs | undefined,
  name: string,
  b: number,
): { ids: tf.Tensor; mask: tf.Tensor2D } {
  const ids = inputs?.[name];
  const mask = inputs?.[`${name}${MASK_SUFFIX}`];
  if (!ids || !mask) {
    throw new ShapeError(
      `${owner}: source '${name}'`,
      `named inputs '${name}' and '${name}${MASK_SUFFIX}' beside the main source`,
      inputs ? `inputs ${Object.keys(inputs).join(', ') || '(none)'}` : 'no named inputs',
    );
  }
  if (
    mask.rank !== 2 ||
    ids.shape[0] !== b ||
    mask.shape[0] !== b ||
    ids.shape[1] !== mask.shape[1]
  ) {
    throw new ShapeError(
      `${owner}: source '${name}'`,
      `ids [${b}, S', …] with a mask [${b}, S']`,
      `ids [${ids.shape.join(', ')}] and mask [${mask.shape.join(', ')}]`,
    );
  }
  return { ids, mask: mask as tf.Tensor2D };
}

/**
 * Registry factory: `{ name: 'multi-source', main: { name: 'hierarchical', … },
 * sources: { question: { name: 'lstm', … } }, final? }`. Every encoder reads the model's
 * source vocabulary; parameters live under `main.` and each source's name.
 */
export function createMultiSourceEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): MultiSourceEncoder {
  knownOptions(owner, options, ['main', 'sources', 'final']);
  if (!isComponent(options.main)) {
    throw new ConfigError(
      `${context.path}: ${owner} needs a 'main' encoder config, e.g. { name: 'hierarchical' }`,
    );
  }
  const configs = options.sources;
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    throw new ConfigError(
      `${context.path}: ${owner} needs 'sources' as an object of encoder configs by input name, e.g. { question: { name: 'lstm' } }`,
    );
  }
  const built: Encoder[] = [];
  try {
    const main = context.build('encoder', options.main, 'main');
    built.push(main);
    const sources: Record<string, Encoder> = {};
    for (const [name, config] of Object.entries(configs)) {
      if (name === 'main' || !isComponent(config)) {
        throw new ConfigError(
          `${context.path}: ${owner} source '${name}' needs an encoder config with a string 'name'${name === 'main' ? ' and another name (main is the main source)' : ''}`,
        );
      }
      sources[name] = context.build('encoder', config, name);
      built.push(sources[name]);
    }
    const final = options.final as FinalSource | undefined;
    return new MultiSourceEncoder({ main, sources }, final === undefined ? {} : { final });
  } catch (error) {
    for (const encoder of built) encoder.dispose();
    throw error;
  }
}

function isComponent(value: unknown): value is ComponentConfig {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ComponentConfig).name === 'string'
  );
}
