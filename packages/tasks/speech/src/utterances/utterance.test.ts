import { DataError } from '@s2s/data';
import { describe, expect, it } from 'vitest';
import { DIGIT_WORDS, type DigitClip, parseDigitClip } from './digit-clip.js';
import {
  parseUtteranceRecipe,
  planUtterances,
  renderUtterance,
  transcriptOf,
  type UtteranceRecipe,
} from './utterance.js';

/** 3 speakers × 10 digits × 4 takes, named as FSDD names them. */
const clips: DigitClip[] = ['ann', 'bob', 'cy'].flatMap((speaker) =>
  Array.from({ length: 40 }, (_, i) => parseDigitClip(`/d/${i % 10}_${speaker}_${i >> 2}.wav`)!),
);

describe('parseDigitClip', () => {
  it('reads digit, speaker and take from an FSDD name, and rejects other names', () => {
    expect(parseDigitClip('/x/7_george_12.wav')).toEqual({
      file: '/x/7_george_12.wav',
      digit: 7,
      speaker: 'george',
      take: 12,
    });
    for (const name of ['george_7_12.wav', '12_george_1.wav', '7_george.wav', '7_george_1.mp3'])
      expect(parseDigitClip(name), name).toBeUndefined();
  });
});

describe('planUtterances', () => {
  const options = { perSpeaker: 50, minDigits: 2, maxDigits: 5, seed: 3 };

  it('is a pure function of the seed: same seed, same plan; another seed, another plan', () => {
    expect(planUtterances(clips, options)).toEqual(planUtterances(clips, options));
    expect(planUtterances(clips, { ...options, seed: 4 })).not.toEqual(
      planUtterances(clips, options),
    );
  });

  it("a speaker's utterances do not depend on the other speakers' clips", () => {
    const alone = planUtterances(
      clips.filter((c) => c.speaker === 'bob'),
      options,
    );
    expect(planUtterances(clips, options).filter((r) => r.speaker === 'bob')).toEqual(alone);
  });

  it('builds perSpeaker utterances per speaker, each of one speaker, with minDigits–maxDigits clips', () => {
    const plan = planUtterances(clips, options);
    expect(plan).toHaveLength(150);
    const lengths = new Set<number>();
    for (const recipe of plan) {
      expect(recipe.clips.every((f) => parseDigitClip(f)!.speaker === recipe.speaker)).toBe(true);
      expect(recipe.clips.length).toBeGreaterThanOrEqual(2);
      expect(recipe.clips.length).toBeLessThanOrEqual(5);
      lengths.add(recipe.clips.length);
    }
    expect([...lengths].sort()).toEqual([2, 3, 4, 5]);
  });

  it('draws every clip of a speaker before reusing any', () => {
    const plan = planUtterances(clips, { ...options, perSpeaker: 30 });
    const used = new Map<string, number>();
    for (const r of plan) for (const f of r.clips) used.set(f, (used.get(f) ?? 0) + 1);
    for (const speaker of ['ann', 'bob', 'cy']) {
      const counts = clips.filter((c) => c.speaker === speaker).map((c) => used.get(c.file) ?? 0);
      expect(Math.max(...counts) - Math.min(...counts), speaker).toBeLessThanOrEqual(1);
    }
  });

  it('keeps gaps and noise levels within their ranges', () => {
    const o = { ...options, minGapMs: 30, maxGapMs: 90, maxEdgeMs: 40, minSnrDb: 20, maxSnrDb: 30 };
    for (const r of planUtterances(clips, o)) {
      expect(r.gapsMs).toHaveLength(r.clips.length + 1);
      const inner = r.gapsMs.slice(1, -1);
      for (const g of inner) expect(g >= 30 && g <= 90, `gap ${g}`).toBe(true);
      for (const g of [r.gapsMs[0]!, r.gapsMs.at(-1)!])
        expect(g >= 0 && g <= 40, `edge ${g}`).toBe(true);
      expect(r.snrDb >= 20 && r.snrDb <= 30, `snr ${r.snrDb}`).toBe(true);
    }
  });

  it('builds perSyntheticSpeaker utterances for each tts- speaker, perSpeaker for the others', () => {
    const voices = ['tts-espeak-00', 'tts-flite-03'].flatMap((speaker) =>
      Array.from({ length: 10 }, (_, d) => parseDigitClip(`/t/${d}_${speaker}_0.wav`)!),
    );
    const count = (plan: ReturnType<typeof planUtterances>) => {
      const n = new Map<string, number>();
      for (const r of plan) n.set(r.speaker, (n.get(r.speaker) ?? 0) + 1);
      return Object.fromEntries(n);
    };
    const both = [...clips, ...voices];
    expect(count(planUtterances(both, { ...options, perSyntheticSpeaker: 7 }))).toEqual({
      ann: 50,
      bob: 50,
      cy: 50,
      'tts-espeak-00': 7,
      'tts-flite-03': 7,
    });
    // Unset, a synthetic speaker gets perSpeaker like any other; real speakers' plans stay as they were.
    expect(count(planUtterances(both, options))['tts-flite-03']).toBe(50);
    expect(
      planUtterances(both, { ...options, perSyntheticSpeaker: 7 }).filter(
        (r) => r.speaker === 'cy',
      ),
    ).toEqual(planUtterances(clips, options).filter((r) => r.speaker === 'cy'));
    expect(() => planUtterances(both, { perSyntheticSpeaker: 0 })).toThrow(/perSyntheticSpeaker/);
  });

  it('rejects bad options by name', () => {
    expect(() => planUtterances(clips, { maxDigits: 0 })).toThrow(
      /utterances: option 'maxDigits': .*>0, got 0/,
    );
    expect(() => planUtterances(clips, { minDigits: 4, maxDigits: 3 })).toThrow(
      /maxDigits \(3\) must be at least minDigits \(4\)/,
    );
    expect(() => planUtterances(clips, { minGapMs: 50, maxGapMs: 10 })).toThrow(
      /maxGapMs \(10\) must be at least minGapMs \(50\)/,
    );
    expect(() => planUtterances(clips, { minSnrDb: 50 })).toThrow(
      /maxSnrDb \(45\) must be at least minSnrDb \(50\)/,
    );
    expect(() => planUtterances(clips, { gap: 3 } as never)).toThrow(/unknown option 'gap'/);
    expect(() => planUtterances(clips, { maxDigit: 3 } as never)).toThrow(
      /unknown option 'maxDigit' \(did you mean 'maxDigits'\?\)/,
    );
  });
});

describe('transcriptOf', () => {
  it("spells each clip's digit as FSDD's word, in order", () => {
    const recipe = recipeOf(['/d/7_ann_0.wav', '/d/0_ann_3.wav', '/d/3_ann_1.wav']);
    expect(transcriptOf(recipe)).toBe('seven zero three');
    for (const r of planUtterances(clips, { perSpeaker: 20, seed: 9 })) {
      const digits = r.clips.map((f) => Number(f.split('/').pop()![0]));
      expect(transcriptOf(r)).toBe(digits.map((d) => DIGIT_WORDS[d]).join(' '));
    }
  });
});

describe('renderUtterance', () => {
  const rate = 1000;
  const a = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i / 3) * 0.5);
  const b = Float32Array.from({ length: 30 }, (_, i) => (i % 2 ? 0.25 : -0.25));

  it('lays out silence, clip, silence, clip, silence at the recipe’s gaps (no noise at 200 dB)', () => {
    const recipe = {
      ...recipeOf(['/d/1_x_0.wav', '/d/2_x_0.wav']),
      gapsMs: [10, 25, 5],
      snrDb: 200,
    };
    const out = renderUtterance(recipe, [a, b], rate);
    const expected = new Float32Array(10 + 50 + 25 + 30 + 5);
    expected.set(a, 10);
    expected.set(b, 85);
    expect(out.length).toBe(expected.length);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i]!, 6);
  });

  it('adds white noise at the recipe’s SNR, bounded, the same for the same seed', () => {
    const recipe = { ...recipeOf(['/d/1_x_0.wav']), gapsMs: [0, 4000], snrDb: 20 };
    const clip = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 5) * 0.4);
    const clean = new Float32Array(5000);
    clean.set(clip);
    const out = renderUtterance(recipe, [clip], rate);
    const noise = out.map((x, i) => x - clean[i]!);
    const rms = (xs: Float32Array) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    const sigma = rms(clip) / 10 ** (20 / 20);
    expect(rms(noise) / sigma).toBeGreaterThan(0.95);
    expect(rms(noise) / sigma).toBeLessThan(1.05);
    expect(Math.max(...noise.map(Math.abs))).toBeLessThan(6 * sigma);
    const mean = noise.reduce((s, x) => s + x, 0) / noise.length;
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(noise.length));
    expect(renderUtterance(recipe, [clip], rate)).toEqual(out);
    expect(renderUtterance({ ...recipe, seed: recipe.seed + 1 }, [clip], rate)).not.toEqual(out);
  });
});

describe('parseUtteranceRecipe', () => {
  it('round-trips a recipe through JSON', () => {
    const [recipe] = planUtterances(clips, { perSpeaker: 1 });
    expect(parseUtteranceRecipe(JSON.stringify(recipe))).toEqual(recipe);
  });

  it('names what is wrong with a bad recipe', () => {
    const good = recipeOf(['/d/1_x_0.wav']);
    const bad = (patch: object) => JSON.stringify({ ...good, ...patch });
    expect(() => parseUtteranceRecipe('{"clips": [', 'here')).toThrow(DataError);
    expect(() => parseUtteranceRecipe('{"clips": [', 'here')).toThrow(/^here: not valid JSON/);
    expect(() => parseUtteranceRecipe(bad({ clips: [] }))).toThrow(/'clips'/);
    expect(() => parseUtteranceRecipe(bad({ gapsMs: [1] }))).toThrow(/'gapsMs'.*2/);
    expect(() => parseUtteranceRecipe(bad({ snrDb: 'loud' }))).toThrow(/'snrDb'/);
    expect(() => parseUtteranceRecipe(bad({ seed: -1 }))).toThrow(/'seed'/);
  });
});

function recipeOf(files: string[]): UtteranceRecipe {
  return {
    speaker: 'x',
    clips: files,
    gapsMs: Array(files.length + 1).fill(0),
    snrDb: 30,
    seed: 5,
  };
}
