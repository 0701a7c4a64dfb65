import type { z } from 'zod';
import type { Attention } from '../contracts/attention.js';
import type { Decoder } from '../contracts/decoder.js';
import type { Bridge, Encoder } from '../contracts/encoder.js';
import type { OutputLayer } from '../contracts/output.js';
import type { SearchStrategy } from '../contracts/search.js';
import type { Task } from '../contracts/task.js';
import type { Tokenizer } from '../contracts/tokenizer.js';
import { ConfigError, UnknownPluginError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { createSoftmaxOutput, softmaxOutputOptions } from '../model/softmax-output.js';
import { deriveSeed } from '../module/seed.js';

/**
 * What each plugin kind builds. Third-party packages may add kinds through declaration
 * merging: `declare module '@s2s/core' { interface PluginKinds { scorer: Scorer } }`.
 */
export interface PluginKinds {
  encoder: Encoder;
  decoder: Decoder;
  attention: Attention;
  bridge: Bridge;
  output: OutputLayer;
  search: SearchStrategy;
  tokenizer: Tokenizer;
  task: Task;
}

/** A plugin kind's name. */
export type PluginKind = keyof PluginKinds & string;

/** A component in a model config: the registered name plus that plugin's options. */
export interface ComponentConfig {
  readonly name: string;
  readonly [option: string]: unknown;
}

/** Sizes a component needs from its neighbours, filled in by whoever builds it. */
export interface Sizes {
  /** Source vocabulary size, for token-id inputs. */
  readonly sourceVocab?: number;
  /** Target vocabulary size. */
  readonly targetVocab?: number;
  /** Features per frame, for `[B, S, F]` inputs. */
  readonly sourceFeatures?: number;
  /** Size H of encoder states. */
  readonly memory?: number;
  /** Sizes of the encoder's final states, bottom layer first. */
  readonly final?: readonly number[];
  /** Size of the query an attention module receives. */
  readonly query?: number;
  /** Size of the features an output layer receives. */
  readonly features?: number;
}

/** Everything a factory gets besides its own options. */
export interface BuildContext {
  /** Seed of this component, derived from the model seed and {@link BuildContext.path}. */
  readonly seed: number;
  /** Where the component sits in the model, e.g. `decoder.attention`. */
  readonly path: string;
  readonly sizes: Sizes;
  readonly registry: Registry;
  /** Components of the same model built before this one (an output layer may tie to the decoder's embedding). */
  readonly parts: BuiltParts;
  /** Builds a nested component (a decoder's attention) through the same registry. */
  build<K extends PluginKind>(
    kind: K,
    config: ComponentConfig,
    name: string,
    sizes?: Sizes,
  ): PluginKinds[K];
}

/** Components of a model that are already built. */
export interface BuiltParts {
  readonly encoder?: Encoder;
  readonly decoder?: Decoder;
}

/** The options a plugin's factory receives: its config without `name`. */
export type PluginOptions = Readonly<Record<string, unknown>>;

/** A plugin: a kind, a name, and a factory. */
export interface PluginDefinition<K extends PluginKind = PluginKind, O = PluginOptions> {
  readonly kind: K;
  readonly name: string;
  /** One line saying what it is, shown when listing plugins. */
  readonly summary?: string;
  /**
   * The option names its factory accepts, when it declares them: callers that map generic
   * settings (a command line's `--beam`) onto a plugin read them instead of trying names.
   * Needed only without {@link PluginDefinition.options}: {@link Registry.get} derives them
   * from an object schema's keys.
   */
  readonly optionNames?: readonly string[];
  /**
   * The plugin's options as a zod schema (a `z.strictObject`, so a typo is an error).
   * {@link Registry.create} validates the config against it, naming the bad option by its
   * path in the model (`decoder.attention.sise`, "did you mean 'size'?"), and hands
   * `create` the parsed options with their defaults filled in.
   */
  readonly options?: z.ZodType<O>;
  create(options: O, context: BuildContext): PluginKinds[K];
}

/** Where a component is built, when it is not built inside a model. */
export interface BuildOptions {
  readonly seed?: number;
  readonly path?: string;
  readonly sizes?: Sizes;
  readonly parts?: BuiltParts;
}

/**
 * Maps (kind, name) to factories. A duplicate registration throws; asking for an unknown
 * name throws an {@link UnknownPluginError} listing what is registered.
 */
export class Registry {
  private readonly plugins = new Map<string, PluginDefinition>();

  /** A registry that holds core's own plugins (the `softmax` output layer) and nothing else. */
  constructor() {
    this.register({
      kind: 'output',
      name: 'softmax',
      options: softmaxOutputOptions,
      summary:
        'log softmax(W·o + b) over the target vocabulary, optionally tied to the target embedding',
      create: (options, context) =>
        createSoftmaxOutput(options, context.sizes, context.parts.decoder, context.seed),
    });
  }

  /**
   * Registers a plugin. Registering the same factory again is a no-op, so a module that
   * registers on import may be evaluated twice; another factory under a taken (kind, name)
   * throws, saying the two likely causes: two copies of one plugin package, or two
   * plugins that chose one name.
   */
  register<K extends PluginKind, O = PluginOptions>(plugin: PluginDefinition<K, O>): void {
    const key = keyOf(plugin.kind, plugin.name);
    const existing = this.plugins.get(key);
    if (existing?.create === (plugin.create as unknown)) return;
    if (existing) {
      throw new ConfigError(
        `the ${plugin.kind} '${plugin.name}' is already registered by another factory: either two copies of the package that provides it are installed (\`npm ls\` shows them; \`npm dedupe\` or one version range fixes it), or two plugins chose the name '${plugin.name}' (rename one)`,
      );
    }
    const names = plugin.optionNames ?? (plugin.options && schemaKeys(plugin.options));
    this.plugins.set(key, {
      ...plugin,
      ...(names ? { optionNames: names } : {}),
    } as unknown as PluginDefinition);
  }

  /** Removes a plugin. Throws if it is not registered. */
  unregister(kind: PluginKind, name: string): void {
    if (!this.plugins.delete(keyOf(kind, name))) {
      throw new UnknownPluginError(kind, name, this.names(kind));
    }
  }

  has(kind: PluginKind, name: string): boolean {
    return this.plugins.has(keyOf(kind, name));
  }

  /** Registered names of one kind, sorted. */
  names(kind: PluginKind): string[] {
    return [...this.plugins.values()]
      .filter((p) => p.kind === kind)
      .map((p) => p.name)
      .sort();
  }

  /**
   * The plugin registered under (kind, name): its options schema, option names (declared,
   * or the keys of its object schema), summary and factory; an unknown name lists the
   * registered ones.
   */
  get<K extends PluginKind>(kind: K, name: string): PluginDefinition<K> {
    const plugin = this.plugins.get(keyOf(kind, name));
    if (!plugin) throw new UnknownPluginError(kind, name, this.names(kind));
    return plugin as unknown as PluginDefinition<K>;
  }

  /** Every registered plugin. */
  list(): PluginDefinition[] {
    return [...this.plugins.values()];
  }

  /** Builds a component from its config. */
  create<K extends PluginKind>(
    kind: K,
    config: ComponentConfig,
    options: BuildOptions = {},
  ): PluginKinds[K] {
    if (typeof config !== 'object' || config === null || typeof config.name !== 'string') {
      throw new ConfigError(
        `${options.path ?? kind}: a ${kind} config must be an object with a string 'name', got ${JSON.stringify(config)}`,
      );
    }
    const plugin = this.get(kind, config.name);
    const { name: _name, ...given } = config;
    const path = options.path ?? kind;
    const pluginOptions = plugin.options
      ? parseOptions(`${kind} '${config.name}'`, plugin.options, given, path)
      : given;
    const seed = options.seed ?? 0;
    const sizes = options.sizes ?? {};
    const parts = options.parts ?? {};
    const context: BuildContext = {
      seed,
      path,
      sizes,
      parts,
      registry: this,
      build: (childKind, childConfig, childName, childSizes) =>
        this.create(childKind, childConfig, {
          seed: deriveSeed(seed, childName),
          path: `${path}.${childName}`,
          sizes: childSizes ?? sizes,
          parts,
        }),
    };
    return plugin.create(pluginOptions, context) as PluginKinds[K];
  }
}

/**
 * The keys of an object schema, looking through defaults, optionals and pipes;
 * `undefined` for a schema that is not an object (a union has no one set of names).
 */
function schemaKeys(schema: z.ZodType): string[] | undefined {
  let def = (schema as unknown as SchemaNode)._zod.def;
  while (def.innerType || (def.type === 'pipe' && def.in)) {
    def = (def.innerType ?? def.in)!._zod.def;
  }
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

// The parts of zod's internal definition schemaKeys reads.
interface SchemaNode {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, unknown>>;
      readonly innerType?: SchemaNode;
      readonly in?: SchemaNode;
    };
  };
}

function keyOf(kind: string, name: string): string {
  return `${kind}\u0000${name}`;
}

const GLOBAL_KEY = Symbol.for('@s2s/core/registry');

/**
 * The process-wide registry that plugin packages fill when imported. Kept on `globalThis`
 * so two copies of `@s2s/core` in one dependency tree still share it.
 */
export const registry: Registry = (() => {
  const holder = globalThis as { [GLOBAL_KEY]?: Registry };
  holder[GLOBAL_KEY] ??= new Registry();
  return holder[GLOBAL_KEY];
})();
