import {
  type Attention,
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  knownOptions,
  oneOf,
} from '@s2s/core';
import {
  MultiSourceAttention,
  type MultiSourceAttentionParts,
  type SourceCombination,
} from './multi-source.js';

const owner = 'multi-source attention';
const reserved = ['main', 'joint', 'combine'];

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
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): MultiSourceAttention {
  knownOptions(owner, options, ['attention', 'sources', 'combine', 'size']);
  const combine = oneOf(owner, 'combine', options.combine ?? 'concat', [
    'concat',
    'hierarchical',
    'flat',
    'cascade',
  ]) as SourceCombination;
  const query = context.sizes.query;
  if (query === undefined || context.sizes.memory === undefined) {
    throw new ConfigError(
      `${context.path}: ${owner} needs the memory and query sizes from its decoder`,
    );
  }
  if (!isComponent(options.attention)) {
    throw new ConfigError(
      `${context.path}: ${owner} needs an 'attention' config for the main source, e.g. { name: 'bahdanau' }`,
    );
  }
  const sources = sourceConfigs(context.path, combine, options.sources);
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
    const main = context.build(
      'attention',
      options.attention,
      combine === 'flat' ? 'joint' : 'main',
      {
        ...context.sizes,
        query: combine === 'cascade' ? query + further : query,
      },
    );
    built.push(main);
    const parts: MultiSourceAttentionParts = { main, sources: attentions };
    return new MultiSourceAttention(
      {
        querySize: query,
        combine,
        ...(options.size !== undefined ? { size: options.size as number } : {}),
      },
      parts,
      context.seed,
    );
  } catch (error) {
    for (const attention of built) attention.dispose();
    throw error;
  }
}

/** Each source's attention config (`null` for `flat`), checked. */
function sourceConfigs(
  path: string,
  combine: SourceCombination,
  value: unknown,
): Record<string, ComponentConfig | null> {
  if (combine === 'flat') {
    if (!Array.isArray(value) || value.length === 0 || !value.every((n) => typeof n === 'string')) {
      throw new ConfigError(
        `${path}: ${owner} with combine 'flat' needs 'sources' as a list of source names, e.g. ['question'], got ${JSON.stringify(value)}`,
      );
    }
    return Object.fromEntries(value.map((name) => [checkedName(path, name), null]));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `${path}: ${owner} needs 'sources' as an object of attention configs by source name, e.g. { question: { name: 'bahdanau' } }, got ${JSON.stringify(value)}`,
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw new ConfigError(`${path}: ${owner} needs at least one source`);
  return Object.fromEntries(
    entries.map(([name, config]) => {
      if (!isComponent(config)) {
        throw new ConfigError(
          `${path}: ${owner} source '${name}' needs an attention config with a string 'name', got ${JSON.stringify(config)}`,
        );
      }
      return [checkedName(path, name), config];
    }),
  );
}

function checkedName(path: string, name: string): string {
  if (reserved.includes(name)) {
    throw new ConfigError(
      `${path}: ${owner} cannot call a source '${name}' (reserved: ${reserved.join(', ')})`,
    );
  }
  return name;
}

function isComponent(value: unknown): value is ComponentConfig {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ComponentConfig).name === 'string'
  );
}
