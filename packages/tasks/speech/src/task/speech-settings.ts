import { parseOptions } from '@s2s/core';
import { type SpecAugmentOptions, specAugmentOptions } from '@s2s/data';
import { z } from 'zod';
import { type PerturbOptions, perturbOptions } from '../features/perturb.js';
import {
  featureDefaults,
  type SpeechFeatureOptions,
  speechFeatureOptions,
} from '../features/speech-features.js';
import { type UtteranceOptions, utteranceOptions } from '../utterances/utterance.js';

/** What the speech task's `data` settings hold. */
export interface SpeechDataSettings {
  /** Output units: `word` (the digit words) or `character` (letters and spaces). */
  readonly outputs: 'word' | 'character';
  /** The speaker held out for the dev split, never heard in training. */
  readonly devSpeaker: string;
  /**
   * What a folder of FSDD clips becomes: `utterances` (digit strings built from each
   * speaker's clips, as `utterances` says) or `clips` (each clip as it is, one example).
   */
  readonly folder: 'utterances' | 'clips';
  /** How utterances are built from a folder of FSDD clips. */
  readonly utterances: UtteranceOptions;
  /** The front end: sample rate, mel bins, window, hop, frame stacking. */
  readonly features: SpeechFeatureOptions;
  /**
   * Frequency warp and tempo change of training batches (never of dev or decoding), drawn
   * afresh each epoch; `false` turns it off.
   */
  readonly perturb: PerturbOptions | false;
  /**
   * SpecAugment masks applied to training batches after `perturb`, on 10 ms frames before
   * they are stacked; `false` turns it off.
   */
  readonly specAugment: SpecAugmentOptions | false;
  /** Longest input accepted by `encode`, in seconds. */
  readonly maxSeconds: number;
  /**
   * Frames a recording (a WAV path, not a built utterance) as training utterances are
   * framed before its features are computed: `edgeMs` of silence before and after it,
   * then white noise at `snrDb` below its level (seeded, so the same file gives the same
   * features). FSDD clips are cut tight to the word, and per-utterance normalisation of
   * such a clip differs from that of the padded utterances the model learned on. `false`
   * (the default) leaves recordings as they are.
   */
  readonly pad: PadOptions | false;
}

/** How {@link SpeechDataSettings.pad} frames a recording. */
export interface PadOptions {
  /** Silence before and after the recording, in milliseconds. */
  readonly edgeMs: number;
  /** Signal-to-noise ratio of the white noise over the whole, in dB. */
  readonly snrDb: number;
}

/** The task's default `data` settings. */
export const dataDefaults: SpeechDataSettings = {
  outputs: 'word',
  devSpeaker: 'theo',
  folder: 'utterances',
  utterances: { perSpeaker: 400, seed: 1 },
  features: { ...featureDefaults, stack: 4 },
  perturb: { warp: 0.1, stretch: 0.1 },
  specAugment: {
    frequencyMasks: 2,
    frequencyMaskWidth: 6,
    timeMasks: 2,
    timeMaskWidth: 10,
    timeMaskRatio: 0.1,
  },
  maxSeconds: 30,
  pad: false,
};

/** The options of {@link SpeechDataSettings.pad}. */
export const padOptions = z.strictObject({
  edgeMs: z.number().min(0).max(10000).describe('Silence before and after the recording, in ms'),
  snrDb: z
    .number()
    .min(-20)
    .max(200)
    .describe('Signal-to-noise ratio of the white noise over the whole, in dB'),
});

/**
 * `false`, which turns a step off. A boolean rather than a literal, so that an object given
 * here is a type mismatch and errors report the options schema's problem ("did you mean")
 * rather than "expected false".
 */
const off = z
  .boolean()
  .refine((value) => !value, 'true is not a setting: give the options, or false to turn it off')
  .transform((): false => false);

/** A nested settings object, or `false` to turn that step off. */
const orOff = <S extends z.ZodType>(schema: S) => z.union([schema, off]);

/**
 * The speech task's `data` block as a schema, defaults filled in: what
 * {@link speechDataSettings} checks, and what a `--config` file's `data` may hold for this
 * task. A nested block given replaces its default whole (its own defaults fill it in).
 */
export const speechDataSchema = z
  .strictObject({
    outputs: z
      .enum(['word', 'character'])
      .default(dataDefaults.outputs)
      .describe("Output units: 'word' (the digit words) or 'character' (letters and spaces)"),
    devSpeaker: z
      .string()
      .min(1)
      .default(dataDefaults.devSpeaker)
      .describe('The speaker held out for the dev split, never heard in training'),
    folder: z
      .enum(['utterances', 'clips'])
      .default(dataDefaults.folder)
      .describe(
        "What a folder of FSDD clips becomes: 'utterances' (digit strings built from each speaker's clips) or 'clips' (each clip one example)",
      ),
    utterances: utteranceOptions
      .prefault(dataDefaults.utterances)
      .describe('How utterances are built from a folder of FSDD clips'),
    features: speechFeatureOptions
      .prefault(dataDefaults.features)
      .describe('The front end: sample rate, mel bins, window, hop, frame stacking'),
    perturb: orOff(perturbOptions)
      .prefault(dataDefaults.perturb)
      .describe('Frequency warp and tempo change of training batches; false turns it off'),
    specAugment: orOff(specAugmentOptions)
      .prefault(dataDefaults.specAugment)
      .describe('SpecAugment masks on training batches after perturb; false turns it off'),
    maxSeconds: z
      .number()
      .min(0.01)
      .max(3600)
      .default(dataDefaults.maxSeconds)
      .describe('Longest input accepted by encode, in seconds'),
    pad: orOff(padOptions)
      .default(dataDefaults.pad)
      .describe(
        'Frames a recording as training utterances are framed (edge silence, then noise); false leaves it as it is',
      ),
  })
  .describe('The speech task: outputs, dev speaker, utterances, features, augmentation');

/**
 * Reads and validates `settings.data`, naming a bad key by its path (`data.features.stack`);
 * missing keys take the defaults.
 */
export function speechDataSettings(data: Readonly<Record<string, unknown>>): SpeechDataSettings {
  return parseOptions('speech settings', speechDataSchema, data ?? {}, 'data');
}
