import { VocabularyError } from '../errors/errors.js';

/** The four special tokens every vocabulary has. */
export interface SpecialTokens {
  readonly pad: string;
  readonly bos: string;
  readonly eos: string;
  readonly unk: string;
}

/** Default spellings of the special tokens. */
export const defaultSpecials: SpecialTokens = {
  pad: '<pad>',
  bos: '<bos>',
  eos: '<eos>',
  unk: '<unk>',
};

/** The serialised form of a {@link Vocabulary}. */
export interface VocabularyJSON {
  readonly tokens: readonly string[];
  readonly specials: SpecialTokens;
}

/**
 * An ordered, immutable list of tokens with stable ids. The specials take ids 0–3
 * (`<pad>`, `<bos>`, `<eos>`, `<unk>`); unknown tokens map to `<unk>`.
 */
export class Vocabulary {
  readonly pad: number;
  readonly bos: number;
  readonly eos: number;
  readonly unk: number;
  private readonly tokens: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  /**
   * @param tokens the non-special tokens in id order; duplicates are an error.
   * @param specials spellings of the special tokens.
   */
  constructor(
    tokens: Iterable<string>,
    readonly specials: SpecialTokens = defaultSpecials,
  ) {
    const all = [specials.pad, specials.bos, specials.eos, specials.unk];
    if (new Set(all).size !== 4) {
      throw new VocabularyError(`special tokens must be distinct, got ${all.join(', ')}`);
    }
    for (const token of tokens) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new VocabularyError(
          `vocabulary tokens must be non-empty strings, got ${JSON.stringify(token)}`,
        );
      }
      all.push(token);
    }
    const ids = new Map<string, number>();
    all.forEach((token, id) => {
      if (ids.has(token))
        throw new VocabularyError(`token '${token}' appears twice in the vocabulary`);
      ids.set(token, id);
    });
    this.tokens = all;
    this.ids = ids;
    [this.pad, this.bos, this.eos, this.unk] = [0, 1, 2, 3];
  }

  /** Number of ids, specials included. */
  get size(): number {
    return this.tokens.length;
  }

  /** Id of a token, `<unk>` if absent. */
  id(token: string): number {
    return this.ids.get(token) ?? this.unk;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** Token of an id; throws for an id outside the vocabulary. */
  token(id: number): string {
    const token = this.tokens[id];
    if (token === undefined) {
      throw new VocabularyError(`id ${id} is outside the vocabulary (size ${this.size})`);
    }
    return token;
  }

  /** Whether `id` is one of the four specials. */
  isSpecial(id: number): boolean {
    return id >= 0 && id < 4;
  }

  /**
   * Ids of `tokens`, optionally framed by `<bos>`/`<eos>`. If `stats` is given, its
   * `unknown` count grows by the number of tokens that mapped to `<unk>`.
   */
  encode(
    tokens: readonly string[],
    options: { bos?: boolean; eos?: boolean } = {},
    stats?: { unknown: number },
  ): number[] {
    const out: number[] = options.bos ? [this.bos] : [];
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id === undefined && stats) stats.unknown++;
      out.push(id ?? this.unk);
    }
    if (options.eos) out.push(this.eos);
    return out;
  }

  /** Tokens of `ids`, stopping at the first `<eos>` and dropping `<pad>`/`<bos>`. */
  decode(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === this.eos) break;
      if (id === this.pad || id === this.bos) continue;
      out.push(this.token(id));
    }
    return out;
  }

  toJSON(): VocabularyJSON {
    return { tokens: this.tokens.slice(4), specials: this.specials };
  }

  /** Rebuilds a vocabulary from {@link Vocabulary.toJSON}, validating it. */
  static fromJSON(json: unknown): Vocabulary {
    const value = json as Partial<VocabularyJSON> | null;
    if (!value || !Array.isArray(value.tokens)) {
      throw new VocabularyError('a serialised vocabulary needs a "tokens" array');
    }
    const specials = value.specials ?? defaultSpecials;
    for (const key of ['pad', 'bos', 'eos', 'unk'] as const) {
      if (typeof specials[key] !== 'string') {
        throw new VocabularyError(`a serialised vocabulary's specials need a string '${key}'`);
      }
    }
    return new Vocabulary(value.tokens, specials);
  }
}
