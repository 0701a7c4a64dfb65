import { ConfigError, knownOptions, numberIn, oneOf } from '@s2s/core';
import type { SpecAugmentOptions } from '@s2s/data';
import type { PerturbOptions } from '../features/perturb.js';
import { featureDefaults, type SpeechFeatureOptions } from '../features/speech-features.js';
import type { UtteranceOptions } from '../utterances/utterance.js';

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

/** Reads and validates `settings.data`, naming a bad key; missing keys take the defaults. */
export function speechDataSettings(data: Readonly<Record<string, unknown>>): SpeechDataSettings {
  const owner = 'speech task data';
  knownOptions(owner, data, Object.keys(dataDefaults));
  const d = { ...dataDefaults, ...data } as SpeechDataSettings;
  oneOf(owner, 'outputs', d.outputs, ['word', 'character']);
  oneOf(owner, 'folder', d.folder, ['utterances', 'clips']);
  if (typeof d.devSpeaker !== 'string' || d.devSpeaker === '') {
    throw new ConfigError(
      `${owner}: option 'devSpeaker' must be a speaker's name, got ${JSON.stringify(d.devSpeaker)}`,
    );
  }
  for (const key of ['utterances', 'features'] as const) {
    if (typeof d[key] !== 'object' || d[key] === null || Array.isArray(d[key])) {
      throw new ConfigError(`${owner}: option '${key}' must be an object`);
    }
  }
  for (const key of ['perturb', 'specAugment'] as const) {
    if (d[key] !== false && (typeof d[key] !== 'object' || d[key] === null)) {
      throw new ConfigError(`${owner}: option '${key}' must be an object or false`);
    }
  }
  numberIn(owner, 'maxSeconds', d.maxSeconds, 0.01, 3600);
  if (d.pad !== false) {
    if (typeof d.pad !== 'object' || d.pad === null)
      throw new ConfigError(`${owner}: option 'pad' must be { edgeMs, snrDb } or false`);
    knownOptions(`${owner} pad`, d.pad, ['edgeMs', 'snrDb']);
    numberIn(`${owner} pad`, 'edgeMs', d.pad.edgeMs, 0, 10000);
    numberIn(`${owner} pad`, 'snrDb', d.pad.snrDb, -20, 200);
  }
  return d;
}
