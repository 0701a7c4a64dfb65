import {
  type BuildContext,
  ConfigError,
  type EncodeOptions,
  type Encoder,
  type Memory,
  parseOptions,
  ShapeError,
  type SourceInputs,
  tidyTree,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { componentConfig } from '../options.js';

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

const finalOption = z
  .string()
  .default('all')
  .describe("Which final states Memory.final carries: 'all', 'main' or a further source's name");

/** `final` names `all`, `main` or one of the further sources `names`. */
function finalNamesASource(names: readonly string[]) {
  return (o: { readonly final: string }, ctx: z.RefinementCtx): void => {
    if (o.final !== 'all' && o.final !== 'main' && !names.includes(o.final)) {
      ctx.addIssue({
        code: 'custom',
        path: ['final'],
        message: `expected 'all', 'main' or a further source's name (${names.join(', ')})`,
      });
    }
  };
}

/** The options `{ name: 'multi-source', … }` takes in a model config, with their defaults. */
export const multiSourceEncoderOptions = z
  .strictObject({
    main: componentConfig('an encoder', "{ name: 'hierarchical' }").describe(
      'The encoder of the main source (the passage)',
    ),
    sources: z
      .record(z.string(), componentConfig('an encoder', "{ name: 'lstm' }"), {
        error:
          "expected an object of encoder configs by input name, e.g. { question: { name: 'lstm' } }",
      })
      .describe('One encoder config per further source, by the name of its input'),
    final: finalOption,
  })
  .superRefine((o, ctx) => {
    const names = Object.keys(o.sources);
    if (names.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: 'expected at least one further source',
      });
    }
    if (names.includes('main')) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: "a further source cannot be called 'main' (main is the main source)",
      });
    }
    finalNamesASource(names)(o, ctx);
  });

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
    const schema = z.strictObject({ final: finalOption }).superRefine(finalNamesASource(names));
    const { final: from } = parseOptions(owner, schema, options);
    this.main = parts.main;
    this.sources = parts.sources;
    this.final = from;
    this.outputSize = parts.main.outputSize;
    this.sourceSizes = Object.fromEntries(names.map((n) => [n, parts.sources[n]!.outputSize]));
    const finals = (name: string) =>
      name === 'main' ? parts.main.finalSizes : parts.sources[name]!.finalSizes;
    this.finalSizes = from === 'all' ? ['main', ...names].flatMap(finals) : [...finals(from)];
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
  const o = parseOptions(owner, multiSourceEncoderOptions, options, context.path);
  const built: Encoder[] = [];
  try {
    const main = context.build('encoder', o.main, 'main');
    built.push(main);
    const sources: Record<string, Encoder> = {};
    for (const [name, config] of Object.entries(o.sources)) {
      sources[name] = context.build('encoder', config, name);
      built.push(sources[name]);
    }
    return new MultiSourceEncoder({ main, sources }, { final: o.final });
  } catch (error) {
    for (const encoder of built) encoder.dispose();
    throw error;
  }
}
