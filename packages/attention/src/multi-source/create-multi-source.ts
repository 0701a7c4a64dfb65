import {
  type Attention,
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  parseOptions,
} from '@s2s/core';
import { z } from 'zod';
import { MultiSourceAttention, type MultiSourceAttentionParts } from './multi-source.js';

const owner = 'multi-source attention';
const reserved = ['main', 'joint', 'combine'];

/**
 * A nested attention config: only its `name` is checked here; its own options are checked
 * when it is built, at its path in the model (`decoder.attention.main.size`).
 */
const attentionConfig = z.looseObject(
  { name: z.string() },
  { error: "expected an attention config with a string 'name', e.g. { name: 'bahdanau' }" },
);

/** The options `{ name: 'multi-source', … }` takes in a model config, with their defaults. */
export const multiSourceOptions = z
  .strictObject({
    attention: attentionConfig.describe(
      "The attention over the main source; with combine 'flat', the one attention over every source",
    ),
    sources: z
      .union([z.array(z.string()), z.record(z.string(), attentionConfig)], {
        error:
          "expected the further sources: an object of attention configs by source name, e.g. { question: { name: 'bahdanau' } }, or with combine 'flat' a list of source names",
      })
      .describe(
        "The further sources by name, each with its attention config; with combine 'flat', a list of their names",
      ),
    combine: z
      .enum(['concat', 'hierarchical', 'flat', 'cascade'])
      .default('concat')
      .describe('How the per-source attentions are combined'),
    size: z
      .int()
      .positive()
      .optional()
      .describe("'hierarchical' only: size d the contexts are projected to; default 64"),
  })
  .superRefine((o, ctx) => {
    const flat = o.combine === 'flat';
    if (flat !== Array.isArray(o.sources)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: flat
          ? "with combine 'flat', expected a list of source names, e.g. ['question']"
          : `with combine '${o.combine}', expected an object of attention configs by source name, e.g. { question: { name: 'bahdanau' } } (a list of names only with combine 'flat')`,
      });
      return;
    }
    const names = Array.isArray(o.sources) ? o.sources : Object.keys(o.sources);
    if (names.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: 'expected at least one source' });
    }
    for (const name of names.filter((n) => reserved.includes(n))) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: `a source cannot be called '${name}' (reserved: ${reserved.join(', ')})`,
      });
    }
  });

/** Options of {@link createMultiSourceAttention}, as a config gives them. */
export type MultiSourceOptions = z.input<typeof multiSourceOptions>;

/**
 * What a multi-source encoder may expose so the attentions of its further sources are built
 * for their sizes: the size H' of each source's states, by name. Without it every source
 * is taken to have the main source's size.
 */
export interface SourceSizes {
  readonly sourceSizes: Readonly<Record<string, number>>;
}

/**
 * Registry factory: `{ name: 'multi-source', attention: {…}, sources: { question: {…} },
 * combine?: 'concat' | 'hierarchical' | 'cascade', size? }`, or with `combine: 'flat'`,
 * `{ attention: {…}, sources: ['question'] }` (one attention over all sources). The
 * sources' attentions are built for the sizes the model's encoder reports in
 * `sourceSizes` (see {@link SourceSizes}).
 */
export function createMultiSourceAttention(
  options: MultiSourceOptions,
  context: BuildContext,
): MultiSourceAttention {
  const o = parseOptions(`attention 'multi-source'`, multiSourceOptions, options, context.path);
  const combine = o.combine;
  const query = context.sizes.query;
  if (query === undefined || context.sizes.memory === undefined) {
    throw new ConfigError(
      `${context.path}: ${owner} needs the memory and query sizes from its decoder`,
    );
  }
  const sources: Record<string, ComponentConfig | null> = Array.isArray(o.sources)
    ? Object.fromEntries(o.sources.map((name) => [name, null]))
    : o.sources;
  const sizes = (context.parts.encoder as Partial<SourceSizes> | undefined)?.sourceSizes ?? {};
  const built: Attention[] = [];
  try {
    const attentions: Record<string, Attention | null> = {};
    for (const [name, config] of Object.entries(sources)) {
      if (config === null) {
        attentions[name] = null;
        continue;
      }
      const memory = sizes[name] ?? context.sizes.memory;
      const attention = context.build('attention', config, name, { ...context.sizes, memory });
      built.push(attention);
      attentions[name] = attention;
    }
    // With `cascade` the main attention is queried by [s; C_1; …].
    const further = built.reduce((n, a) => n + a.contextSize, 0);
    const main = context.build('attention', o.attention, combine === 'flat' ? 'joint' : 'main', {
      ...context.sizes,
      query: combine === 'cascade' ? query + further : query,
    });
    built.push(main);
    const parts: MultiSourceAttentionParts = { main, sources: attentions };
    return new MultiSourceAttention(
      {
        querySize: query,
        combine,
        ...(o.size !== undefined ? { size: o.size } : {}),
      },
      parts,
      context.seed,
    );
  } catch (error) {
    for (const attention of built) attention.dispose();
    throw error;
  }
}
