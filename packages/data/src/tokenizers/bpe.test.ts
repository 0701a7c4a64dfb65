import { ConfigError, Registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { sampleSentences } from '../../test/fixtures.js';
import { BpeTokenizer, createBpeTokenizer, WORD_START as W } from './bpe.js';
import { learnMerges } from './bpe-train.js';

/** The textbook algorithm: recount every pair after every merge. */
function bruteForceMerges(counts: Map<string, number>, vocabSize: number, minFrequency: number) {
  let words = [...counts].map(([w, n]) => ({ symbols: Array.from(w), n }));
  const pieces = new Set(words.flatMap((w) => w.symbols));
  const merges: [string, string][] = [];
  while (pieces.size < vocabSize) {
    const pairCounts = new Map<string, { l: string; r: string; n: number }>();
    for (const { symbols, n } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = JSON.stringify([symbols[i], symbols[i + 1]]);
        const entry = pairCounts.get(key) ?? { l: symbols[i]!, r: symbols[i + 1]!, n: 0 };
        entry.n += n;
        pairCounts.set(key, entry);
      }
    }
    let best: { l: string; r: string; n: number } | undefined;
    for (const c of pairCounts.values()) {
      if (
        !best ||
        c.n > best.n ||
        (c.n === best.n && (c.l < best.l || (c.l === best.l && c.r < best.r)))
      )
        best = c;
    }
    if (!best || best.n < minFrequency) break;
    merges.push([best.l, best.r]);
    pieces.add(best.l + best.r);
    words = words.map(({ symbols, n }) => {
      const out: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (symbols[i] === best!.l && symbols[i + 1] === best!.r) {
          out.push(best!.l + best!.r);
          i++;
        } else out.push(symbols[i]!);
      }
      return { symbols: out, n };
    });
  }
  return merges;
}

// Sennrich et al. (2016)'s example vocabulary, with SentencePiece's word-start mark.
const toy = new Map([
  [`${W}low`, 5],
  [`${W}lower`, 2],
  [`${W}newest`, 6],
  [`${W}widest`, 3],
]);

describe('BPE training', () => {
  it('merges the most frequent pair first, ties by left then right piece (hand-worked)', () => {
    // es, st: 9 (tie, e < s) → es; est: 9; then ▁l, lo, ow: 7 (l < o < ▁) → lo; low; ▁low;
    // then ▁n, ne, ew, west at 6, e < n < w < ▁ → ew.
    expect(learnMerges(toy, { vocabSize: 1000, minFrequency: 1 }).slice(0, 6)).toEqual([
      ['e', 's'],
      ['es', 't'],
      ['l', 'o'],
      ['lo', 'w'],
      [W, 'low'],
      ['e', 'w'],
    ]);
  });

  it('learns exactly what the recount-everything algorithm learns, on the shipped samples', () => {
    const counts = new Map<string, number>();
    for (const s of sampleSentences()) {
      for (const w of s.split(' ')) counts.set(W + w, (counts.get(W + w) ?? 0) + 1);
    }
    for (const [vocabSize, minFrequency] of [
      [400, 2],
      [150, 1],
    ] as const) {
      const merges = learnMerges(counts, { vocabSize, minFrequency });
      expect(merges.length).toBeGreaterThan(50);
      expect(merges).toEqual(bruteForceMerges(counts, vocabSize, minFrequency));
    }
  });

  it('stops at vocabSize pieces, characters included', () => {
    const alphabet = new Set([...toy.keys()].flatMap((w) => Array.from(w))).size;
    expect(learnMerges(toy, { vocabSize: alphabet + 3, minFrequency: 1 })).toHaveLength(3);
    expect(learnMerges(toy, { vocabSize: alphabet, minFrequency: 1 })).toHaveLength(0);
    // Only ▁low-, es and est occur 7+ times.
    expect(learnMerges(toy, { minFrequency: 7 }).map((m) => m.join(''))).toEqual([
      'es',
      'est',
      'lo',
      'low',
      `${W}low`,
    ]);
  });

  it('rejects bad training options', () => {
    expect(() => learnMerges(toy, { vocabSize: 0 })).toThrow(
      /bpe training: option 'vocabSize': .*>0, got 0/,
    );
    expect(() => learnMerges(toy, { minFrequncy: 2 } as never)).toThrow(
      /unknown option 'minFrequncy' \(did you mean 'minFrequency'\?\)/,
    );
  });

  it('checks training options, normal form included, before reading the corpus', async () => {
    await expect(BpeTokenizer.train(['a b'], { lowercse: true } as never)).rejects.toThrow(
      /bpe training: unknown option 'lowercse' \(did you mean 'lowercase'\?\)/,
    );
    await expect(BpeTokenizer.train(['a b'], { normalize: 'NFD' as never })).rejects.toThrow(
      /option 'normalize': .*"NFC".*got 'NFD'/,
    );
  });
});

describe('BpeTokenizer', () => {
  it('applies merges in the order learned, to words never seen whole', async () => {
    const bpe = await BpeTokenizer.train(
      ['low low low low low lower lower', 'newest '.repeat(6), 'widest '.repeat(3)],
      { minFrequency: 2 },
    );
    // Merges: es, est, lo, low, ▁low, ew, ewest, newest, ▁newest, then the widest pairs
    // at 3, then er before ▁lowe (e < ▁). So `newer` gets only ew and er.
    expect(bpe.encode('lowest newer')).toEqual([`${W}low`, 'est', W, 'n', 'ew', 'er']);
    expect(bpe.decode(bpe.encode('lowest newer'))).toBe('lowest newer');
  });

  it('keeps merges inside letters, digits and single punctuation marks', () => {
    const bpe = new BpeTokenizer({
      merges: [
        [W, 'a'],
        [`${W}a`, ','],
        ['1', '2'],
        ['b', '1'],
        ["l'", 'h'],
        ['l', "'"],
        [W, "l'h"],
      ],
    });
    expect(bpe.encode('a, b12 12')).toEqual([`${W}a`, ',', W, 'b', '12', W, '12']);
    expect(bpe.encode("l'hôpital")).toEqual([`${W}l'h`, 'ô', 'p', 'i', 't', 'a', 'l']);
  });

  it('decodes to the documented normal form, Unicode included', async () => {
    const samples = sampleSentences();
    const bpe = await BpeTokenizer.train(samples, { vocabSize: 400 });
    // The samples are already in normal form, so they come back unchanged.
    for (const s of samples) expect(bpe.decode(bpe.encode(s))).toBe(s);
    const text = '  Ça ira,\u00a0ça ira… 👍🏽 Ame\u0301lie ▁ 東京 ';
    expect(bpe.decode(bpe.encode(text))).toBe('Ça ira, ça ira… 👍🏽 Amélie 東京');
    const lower = await BpeTokenizer.train(samples, { vocabSize: 200, lowercase: true });
    expect(lower.decode(lower.encode('MARY Went'))).toBe('mary went');
  });

  it('trains the same from a stream as from an array', async () => {
    const samples = sampleSentences();
    async function* stream() {
      for (const s of samples) yield s;
    }
    const a = await BpeTokenizer.train(samples, { vocabSize: 300 });
    const b = await BpeTokenizer.train(stream(), { vocabSize: 300 });
    expect(b.merges).toEqual(a.merges);
  });

  it('serialises its merges and rebuilds through the registry', async () => {
    const registry = new Registry();
    registry.register({ kind: 'tokenizer', name: 'bpe', create: createBpeTokenizer });
    const samples = sampleSentences();
    const bpe = await BpeTokenizer.train(samples, { vocabSize: 300, lowercase: true });
    const json = JSON.parse(JSON.stringify(bpe.toJSON()));
    expect(json.merges).toEqual(bpe.merges.map((m) => [...m]));
    const rebuilt = registry.create('tokenizer', json);
    for (const s of samples) expect(rebuilt.encode(s)).toEqual(bpe.encode(s));
  });

  it('rejects malformed merges, naming the bad one', () => {
    expect(() => new BpeTokenizer({} as never)).toThrow(
      /option 'merges' is required: .*BpeTokenizer\.train\(\)/,
    );
    expect(() => new BpeTokenizer({ merges: [['a', 'b'], ['c']] as never })).toThrow(
      /option 'merges\.1': .*2 items, got \["c"\]/,
    );
    expect(() => new BpeTokenizer({ merges: [['a', '']] })).toThrow(ConfigError);
    expect(() => new BpeTokenizer({ merges: [['a', '']] })).toThrow(/'merges\.0\.1'.*non-empty/);
  });
});
