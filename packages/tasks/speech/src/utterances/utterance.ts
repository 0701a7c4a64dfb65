import { ConfigError, deriveSeed, parseOptions, Rng } from '@s2s/core';
import { DataError } from '@s2s/data';
import { z } from 'zod';
import { DIGIT_WORDS, type DigitClip, parseDigitClip } from './digit-clip.js';

/** Options of {@link planUtterances}: how digit strings are put together from clips. */
export interface UtteranceOptions {
  /** Utterances built from each speaker's clips. Default 400. */
  readonly perSpeaker?: number;
  /**
   * Utterances built from each synthetic speaker's clips (a speaker whose name starts
   * with {@link SYNTHETIC_PREFIX}, as `scripts/synthetic-voices.mjs` names them): many
   * voices with few utterances each. Default: `perSpeaker`.
   */
  readonly perSyntheticSpeaker?: number;
  /** Fewest digits in an utterance. Default 1. */
  readonly minDigits?: number;
  /** Most digits in an utterance. Default 7. */
  readonly maxDigits?: number;
  /** Shortest silence between two clips, in milliseconds. Default 20. */
  readonly minGapMs?: number;
  /** Longest silence between two clips, in milliseconds. Default 250. */
  readonly maxGapMs?: number;
  /** Longest silence before the first and after the last clip, in milliseconds. Default 150. */
  readonly maxEdgeMs?: number;
  /** Lowest signal-to-noise ratio of the added white noise, in dB. Default 25. */
  readonly minSnrDb?: number;
  /** Highest signal-to-noise ratio of the added white noise, in dB. Default 45. */
  readonly maxSnrDb?: number;
  /** Seeds every choice: clips, gaps, noise. Default 0. */
  readonly seed?: number;
}

/** Defaults of {@link UtteranceOptions}. */
export const utteranceDefaults = {
  perSpeaker: 400,
  minDigits: 1,
  maxDigits: 7,
  minGapMs: 20,
  maxGapMs: 250,
  maxEdgeMs: 150,
  minSnrDb: 25,
  maxSnrDb: 45,
  seed: 0,
} as const;

const count = z.int().positive();
const milliseconds = z.int().nonnegative();
const snr = z.number().min(-20).max(120);

/**
 * The options of {@link planUtterances}, with their defaults; each range's upper end must
 * be at least its lower end.
 */
export const utteranceOptions = z
  .strictObject({
    perSpeaker: count
      .default(utteranceDefaults.perSpeaker)
      .describe("Utterances built from each speaker's clips"),
    perSyntheticSpeaker: count
      .optional()
      .describe("Utterances built from each synthetic (tts-) speaker's clips. Default: perSpeaker"),
    minDigits: count.default(utteranceDefaults.minDigits).describe('Fewest digits in an utterance'),
    maxDigits: count.default(utteranceDefaults.maxDigits).describe('Most digits in an utterance'),
    minGapMs: milliseconds
      .default(utteranceDefaults.minGapMs)
      .describe('Shortest silence between two clips, in ms'),
    maxGapMs: milliseconds
      .default(utteranceDefaults.maxGapMs)
      .describe('Longest silence between two clips, in ms'),
    maxEdgeMs: milliseconds
      .default(utteranceDefaults.maxEdgeMs)
      .describe('Longest silence before the first and after the last clip, in ms'),
    minSnrDb: snr
      .default(utteranceDefaults.minSnrDb)
      .describe('Lowest signal-to-noise ratio of the added white noise, in dB'),
    maxSnrDb: snr
      .default(utteranceDefaults.maxSnrDb)
      .describe('Highest signal-to-noise ratio of the added white noise, in dB'),
    seed: z
      .int()
      .default(utteranceDefaults.seed)
      .describe('Seeds every choice: clips, gaps, noise'),
  })
  .superRefine((o, ctx) => {
    for (const [low, high] of [
      ['minDigits', 'maxDigits'],
      ['minGapMs', 'maxGapMs'],
      ['minSnrDb', 'maxSnrDb'],
    ] as const) {
      if (o[high] < o[low]) {
        ctx.addIssue({
          code: 'custom',
          message: `${high} (${o[high]}) must be at least ${low} (${o[low]})`,
        });
      }
    }
  });

/** Speakers whose names start with this are synthetic voices (`tts-espeak-07`). */
export const SYNTHETIC_PREFIX = 'tts-';

/**
 * How to render one utterance: plain JSON, so it can travel as a task example's input and
 * be rebuilt sample for sample by {@link renderUtterance}.
 */
export interface UtteranceRecipe {
  readonly speaker: string;
  /** The clips spoken, in order. */
  readonly clips: readonly string[];
  /** Silence before each clip and after the last, in milliseconds: one more than `clips`. */
  readonly gapsMs: readonly number[];
  /** Signal-to-noise ratio of the white noise added over the whole utterance, in dB. */
  readonly snrDb: number;
  /** Seeds the noise. */
  readonly seed: number;
}

/**
 * Plans utterances of 1–7 digits (by default) from FSDD clips: for each speaker, in name
 * order, `perSpeaker` utterances that draw clips of that speaker only from a deck shuffled
 * anew each time it runs out (so every clip is used about equally), with silences and a
 * noise level drawn uniformly from their ranges. A pure function of the clips and `seed`;
 * each speaker's utterances depend only on that speaker's clips.
 */
export function planUtterances(
  clips: readonly DigitClip[],
  options: UtteranceOptions = {},
): UtteranceRecipe[] {
  const o = checkUtteranceOptions(options);
  const bySpeaker = new Map<string, DigitClip[]>();
  for (const clip of clips) {
    const list = bySpeaker.get(clip.speaker) ?? [];
    list.push(clip);
    bySpeaker.set(clip.speaker, list);
  }
  const recipes: UtteranceRecipe[] = [];
  for (const speaker of [...bySpeaker.keys()].sort()) {
    const own = bySpeaker.get(speaker)!.sort((a, b) => (a.file < b.file ? -1 : 1));
    const rng = new Rng(deriveSeed(o.seed, `speaker ${speaker}`));
    const count = speaker.startsWith(SYNTHETIC_PREFIX) ? o.perSyntheticSpeaker : o.perSpeaker;
    let deck: DigitClip[] = [];
    for (let u = 0; u < count; u++) {
      const n = o.minDigits + rng.int(o.maxDigits - o.minDigits + 1);
      const chosen: string[] = [];
      for (let i = 0; i < n; i++) {
        if (deck.length === 0) deck = rng.shuffle([...own]);
        chosen.push(deck.pop()!.file);
      }
      const between = () => o.minGapMs + rng.int(o.maxGapMs - o.minGapMs + 1);
      const gapsMs = [
        rng.int(o.maxEdgeMs + 1),
        ...Array.from({ length: n - 1 }, between),
        rng.int(o.maxEdgeMs + 1),
      ];
      const snrDb = Math.round((o.minSnrDb + rng.next() * (o.maxSnrDb - o.minSnrDb)) * 10) / 10;
      recipes.push({ speaker, clips: chosen, gapsMs, snrDb, seed: rng.nextUint32() });
    }
  }
  return recipes;
}

/** The transcript of an utterance: its clips' digit words, space-separated. */
export function transcriptOf(recipe: UtteranceRecipe): string {
  return recipe.clips
    .map((file) => {
      const clip = parseDigitClip(file);
      if (!clip)
        throw new DataError({ file }, 'not an FSDD clip name ({digit}_{speaker}_{take}.wav)');
      return DIGIT_WORDS[clip.digit];
    })
    .join(' ');
}

/**
 * Renders an utterance from its clips' samples (at `sampleRate`, in recipe order): silence,
 * clip, silence, …, clip, silence, plus white Gaussian noise over the whole of it whose
 * standard deviation is the clips' RMS level divided by 10^(SNR/20).
 */
export function renderUtterance(
  recipe: UtteranceRecipe,
  clips: readonly Float32Array[],
  sampleRate: number,
): Float32Array {
  if (clips.length !== recipe.clips.length || recipe.gapsMs.length !== clips.length + 1) {
    throw new ConfigError(
      `renderUtterance: expected ${recipe.clips.length} clips and ${recipe.clips.length + 1} gaps, got ${clips.length} clips and ${recipe.gapsMs.length} gaps`,
    );
  }
  const gaps = recipe.gapsMs.map((ms) => Math.round((ms * sampleRate) / 1000));
  const total = gaps.reduce((a, b) => a + b, 0) + clips.reduce((a, c) => a + c.length, 0);
  const out = new Float32Array(total);
  let energy = 0;
  let speech = 0;
  let at = gaps[0]!;
  clips.forEach((clip, i) => {
    out.set(clip, at);
    for (const x of clip) energy += x * x;
    speech += clip.length;
    at += clip.length + gaps[i + 1]!;
  });
  const sigma = Math.sqrt(energy / Math.max(speech, 1)) / 10 ** (recipe.snrDb / 20);
  const rng = new Rng(recipe.seed);
  // Box–Muller, two normal draws per pair of uniforms; 1 − u keeps the log finite.
  for (let i = 0; i < total; i += 2) {
    const r = sigma * Math.sqrt(-2 * Math.log(1 - rng.next()));
    const theta = 2 * Math.PI * rng.next();
    out[i]! += r * Math.cos(theta);
    if (i + 1 < total) out[i + 1]! += r * Math.sin(theta);
  }
  return out;
}

/** Reads an utterance recipe from an example's JSON input; a bad field is a `DataError`. */
export function parseUtteranceRecipe(text: string, where = '<input>'): UtteranceRecipe {
  let value: Partial<Record<keyof UtteranceRecipe, unknown>>;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError({ file: where }, `not valid JSON: ${(error as Error).message}`);
  }
  const bad = (problem: string) =>
    new DataError(
      { file: where },
      `${problem}; expected an utterance {"speaker", "clips", "gapsMs", "snrDb", "seed"}`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('not a JSON object');
  const { speaker, clips, gapsMs, snrDb, seed } = value;
  if (typeof speaker !== 'string') throw bad("'speaker' is not a string");
  if (!Array.isArray(clips) || clips.length === 0 || !clips.every((c) => typeof c === 'string'))
    throw bad("'clips' is not a non-empty list of file paths");
  if (
    !Array.isArray(gapsMs) ||
    gapsMs.length !== clips.length + 1 ||
    !gapsMs.every((g) => typeof g === 'number' && g >= 0 && Number.isFinite(g))
  )
    throw bad(`'gapsMs' is not a list of ${clips.length + 1} non-negative numbers`);
  if (typeof snrDb !== 'number' || !Number.isFinite(snrDb)) throw bad("'snrDb' is not a number");
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)
    throw bad("'seed' is not a non-negative integer");
  return { speaker, clips, gapsMs, snrDb, seed };
}

function checkUtteranceOptions(options: UtteranceOptions): Required<UtteranceOptions> {
  const o = parseOptions('utterances', utteranceOptions, options);
  return { ...o, perSyntheticSpeaker: o.perSyntheticSpeaker ?? o.perSpeaker };
}
