import {
  ConfigError,
  readAccess,
  type Task,
  type TaskExample,
  type TaskReadOptions,
  type TaskSettings,
  type TaskSplit,
  Vocabulary,
} from '@s2s/core';
import { buildVocabulary, DataError, parseTsvPairs, TokenCounter } from '@s2s/data';
import { AudioInput } from '../audio/audio-input.js';
import { DIGIT_WORDS, type DigitClip, parseDigitClip } from '../utterances/digit-clip.js';
import { planUtterances, transcriptOf } from '../utterances/utterance.js';
import { outputTokenizer, SpeechPipeline, type SpeechPipelineJSON } from './speech-pipeline.js';
import { dataDefaults, speechDataSchema, speechDataSettings } from './speech-settings.js';

/** The name the speech task registers under. */
export const SPEECH_TASK = 'speech';

/**
 * Speech to text in the manner of Listen, Attend and Spell (Chan et al. 2016): log-mel
 * frames read by a pyramidal bidirectional LSTM listener, which halves the frame rate
 * layer by layer, and spelled out by an attentional LSTM decoder with location-aware
 * attention (Chorowski et al. 2015), decoded by beam search with length normalisation.
 *
 * Data: a folder of Free Spoken Digit Dataset clips (`{digit}_{speaker}_{take}.wav`) is
 * turned into utterances of digit strings, each from one speaker, with short silences and
 * light noise (seeded); a `.tsv` manifest of `file.wav<TAB>transcript` lines reads real
 * recordings as they are; a single FSDD `.wav` is one example. The dev split holds out one
 * speaker, so the score is on a voice never heard in training.
 */
export const speechTask: Task & {
  /** The schema of `settings.data`, for a config file's `data` block. */
  readonly dataSchema: typeof speechDataSchema;
} = {
  name: SPEECH_TASK,
  description:
    'speech to text (Listen, Attend and Spell) on spoken digit strings; a dev speaker never heard in training',
  dataSchema: speechDataSchema,
  defaults: {
    model: {
      seed: 1,
      encoder: {
        name: 'pyramidal-lstm',
        embeddingSize: 64,
        hiddenSize: 64,
        layers: 3,
        dropout: 0.1,
      },
      decoder: {
        name: 'attentional',
        embeddingSize: 32,
        hiddenSize: 128,
        dropout: 0.1,
        attention: { name: 'location', size: 64, filters: 8, kernelSize: 5 },
      },
    },
    training: {
      epochs: 40,
      batchSize: 32,
      // Halved every 1,000 steps (20 epochs of the default 1,600 utterances).
      learningRate: { name: 'exponential', initial: 0.002, rate: 0.5, decaySteps: 1000 },
      seed: 1,
      patience: 8,
    },
    search: { name: 'beam', beamSize: 4, lengthPenalty: 0.6, maxLength: 48 },
    data: { ...dataDefaults },
  },
  read: readSpeechExamples,
  split: splitBySpeaker,
  async fit(examples, settings) {
    const data = speechDataSettings(settings.data);
    const tokenizer = outputTokenizer(data.outputs);
    const counter = new TokenCounter();
    for (const example of examples) counter.add(tokenizer.encode(example.references[0] ?? ''));
    return new SpeechPipeline(buildVocabulary(counter), data);
  },
  restore(json, settings) {
    const saved = json as Partial<SpeechPipelineJSON> | null;
    if (saved?.version !== 1 || !saved.vocabulary) {
      throw new ConfigError(
        `${SPEECH_TASK}: saved pipeline is not a version 1 speech pipeline with a vocabulary`,
      );
    }
    const data = speechDataSettings(settings.data);
    return new SpeechPipeline(Vocabulary.fromJSON(saved.vocabulary), {
      ...data,
      outputs: saved.outputs ?? data.outputs,
      features: saved.features ?? data.features,
      maxSeconds: saved.maxSeconds ?? data.maxSeconds,
    });
  },
};

/**
 * Reads a folder of FSDD clips (built into utterances), a `.tsv` manifest of
 * `file.wav<TAB>transcript` lines (paths relative to the manifest), or one FSDD clip,
 * through `options` (`nodeReadOptions` from `@s2s/data/node` in Node): `pathKind` always,
 * `listFolder` for a folder, `readLines` for a manifest. The WAV files themselves are read
 * later, by the pipeline's `encode` (see `setAudioFileReader`).
 */
async function* readSpeechExamples(
  path: string,
  settings: TaskSettings,
  options: TaskReadOptions = {},
): AsyncIterable<TaskExample> {
  const data = speechDataSettings(settings.data);
  const kind = await readAccess(options, 'pathKind', SPEECH_TASK, path)(path);
  if (kind === undefined) throw new DataError({ file: path }, 'no such file or folder');
  if (kind === 'folder') {
    const clips = await fsddClips(path, readAccess(options, 'listFolder', SPEECH_TASK, path));
    if (data.folder === 'clips') {
      for (const clip of clips)
        yield { input: clip.file, references: [DIGIT_WORDS[clip.digit]], origin: clip.file };
    } else {
      yield* composedExamples(path, clips, data.utterances);
    }
  } else if (path.toLowerCase().endsWith('.wav')) {
    const clip = parseDigitClip(path);
    if (!clip) {
      throw new DataError(
        { file: path },
        'a lone WAV needs an FSDD name ({digit}_{speaker}_{take}.wav) to know its transcript; list others in a .tsv manifest',
      );
    }
    yield { input: path, references: [DIGIT_WORDS[clip.digit]], origin: path };
  } else {
    const lines = readAccess(options, 'readLines', SPEECH_TASK, path)(path);
    for await (const pair of parseTsvPairs(lines, path)) {
      const file = besideFile(path, pair.source);
      yield { input: file, references: [pair.target], origin: `${path}:${pair.line}` };
    }
  }
}

/** Where `/` or `\\` ends the folder part of a path, or -1. */
function folderEnd(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
}

/**
 * A manifest entry's path: as written when absolute (`/…`, `C:\\…`, a URL), else in the
 * manifest's folder.
 */
function besideFile(manifest: string, entry: string): string {
  if (/^([/\\]|[A-Za-z]:[/\\]|[a-z][a-z0-9+.-]*:\/\/)/u.test(entry)) return entry;
  const end = folderEnd(manifest);
  return end < 0 ? entry : `${manifest.slice(0, end + 1)}${entry}`;
}

async function fsddClips(
  folder: string,
  listFolder: NonNullable<TaskReadOptions['listFolder']>,
): Promise<DigitClip[]> {
  const separator = /[/\\]$/u.test(folder) ? '' : '/';
  // The `.wav` files in code-unit order of their names.
  const files = (await listFolder(folder))
    .filter((name) => name.toLowerCase().endsWith('.wav'))
    .sort()
    .map((name) => `${folder}${separator}${name}`);
  if (files.length === 0) throw new DataError({ file: folder }, 'no .wav files in this folder');
  return files.map((file) => {
    const clip = parseDigitClip(file);
    if (!clip) {
      throw new DataError(
        { file },
        'not an FSDD clip name; expected {digit}_{speaker}_{take}.wav (or give a .tsv manifest)',
      );
    }
    return clip;
  });
}

function* composedExamples(
  folder: string,
  clips: readonly DigitClip[],
  options: SpeechDataSettingsUtterances,
): Generator<TaskExample> {
  const counts = new Map<string, number>();
  for (const recipe of planUtterances(clips, options)) {
    const n = (counts.get(recipe.speaker) ?? 0) + 1;
    counts.set(recipe.speaker, n);
    yield {
      input: JSON.stringify(recipe),
      references: [transcriptOf(recipe)],
      origin: `${folder}#${recipe.speaker}-${n}`,
    };
  }
}

type SpeechDataSettingsUtterances = Parameters<typeof planUtterances>[1];

/**
 * Holds out every example of `data.devSpeaker`: the speaker of an utterance recipe, or of
 * an FSDD-named file. Examples whose speaker is unknown stay in training.
 */
function splitBySpeaker(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit {
  const { devSpeaker } = speechDataSettings(settings.data);
  const train: TaskExample[] = [];
  const dev: TaskExample[] = [];
  const speakers = new Set<string>();
  for (const example of examples) {
    const speaker = speakerOf(example);
    if (speaker !== undefined) speakers.add(speaker);
    (speaker === devSpeaker ? dev : train).push(example);
  }
  if (dev.length === 0) {
    throw new ConfigError(
      `${SPEECH_TASK}: no examples of dev speaker '${devSpeaker}' (data.devSpeaker); speakers found: ${[...speakers].sort().join(', ') || '(none)'}`,
    );
  }
  return { train, dev };
}

/** The speaker of an example, from its recipe or its FSDD file name. */
export function speakerOf(example: TaskExample): string | undefined {
  const recipe = AudioInput.recipe(example.input, example.origin);
  return recipe ? recipe.speaker : parseDigitClip(example.input)?.speaker;
}
