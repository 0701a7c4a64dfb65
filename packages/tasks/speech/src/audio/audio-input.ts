import { ConfigError } from '@s2s/core';
import { DataError, decodeWav } from '@s2s/data';
import {
  parseUtteranceRecipe,
  renderUtterance,
  type UtteranceRecipe,
} from '../utterances/utterance.js';

/**
 * Reads a file's bytes synchronously (a pipeline's `encode` is synchronous): a file that is
 * missing or cannot be read is a `DataError` naming it.
 */
export type AudioFileReader = (path: string) => Uint8Array;

let audioFileReader: AudioFileReader | undefined;

/**
 * Sets how speech inputs' WAV files are read, for every {@link AudioInput} (and so every
 * speech pipeline) not given a reader of its own; `undefined` unsets it. Importing
 * `@s2s/task-speech/node` sets Node's file reader; in a browser, pass one over bytes the
 * page has already fetched (`(path) => fetched.get(path)`).
 */
export function setAudioFileReader(reader: AudioFileReader | undefined): void {
  audioFileReader = reader;
}

/**
 * Turns a speech task's inputs into mono samples at one sample rate. An input is either a
 * WAV file's path (any PCM or float WAV: resampled to the rate, channels averaged) or a
 * JSON {@link UtteranceRecipe} (an utterance built from clips, rendered sample for sample).
 * Reading is synchronous, because a pipeline's `encode` is; files are read through
 * `readFile`, or else the reader {@link setAudioFileReader} set (importing
 * `@s2s/task-speech/node` sets Node's). Decoded clips are kept, so the utterances built from
 * one corpus decode each clip file once.
 */
export class AudioInput {
  private readonly clips = new Map<string, Float32Array>();

  constructor(
    readonly sampleRate: number,
    /** Longest recording read, judged from its header before decoding. */
    readonly maxSeconds = Number.POSITIVE_INFINITY,
    /** Reads a file's bytes; default: the one set by {@link setAudioFileReader}. */
    private readonly readFile?: AudioFileReader,
  ) {}

  /** Whether an input is an utterance recipe rather than a file path. */
  static isRecipe(input: string): boolean {
    return input.trimStart().startsWith('{');
  }

  /** The recipe of an input, or undefined for a file path. */
  static recipe(input: string, where?: string): UtteranceRecipe | undefined {
    return AudioInput.isRecipe(input) ? parseUtteranceRecipe(input, where) : undefined;
  }

  /** The samples of one input; a missing, empty, non-WAV or silent file is a `DataError`. */
  samples(input: string, where?: string): Float32Array {
    if (input.startsWith('RIFF') || input.includes('\u0000')) {
      // What `s2s decode MODEL file.wav` hands over: the file's bytes read as a line of text.
      throw new DataError(
        { file: where ?? '<input>' },
        "this is the content of a WAV file, not its path; give the file's path as the input (echo file.wav | s2s decode MODEL)",
      );
    }
    const recipe = AudioInput.recipe(input, where);
    if (!recipe) return this.readWav(input.trim(), false);
    return renderUtterance(
      recipe,
      recipe.clips.map((file) => this.readWav(file, true)),
      this.sampleRate,
    );
  }

  private readWav(file: string, keep: boolean): Float32Array {
    const kept = this.clips.get(file);
    if (kept) return kept;
    const read = this.readFile ?? audioFileReader;
    if (!read) {
      throw new ConfigError(
        `speech: reading ${file} needs a file reader, found none; in Node import '@s2s/task-speech/node', elsewhere call setAudioFileReader(path => bytes) or give AudioInput one`,
      );
    }
    const bytes = read(file);
    if (bytes.length === 0)
      throw new DataError({ file }, 'empty file (0 bytes); expected a WAV file');
    const { samples } = decodeWav(bytes, file, {
      sampleRate: this.sampleRate,
      ...(Number.isFinite(this.maxSeconds) ? { maxSeconds: this.maxSeconds } : {}),
    });
    if (keep) this.clips.set(file, samples);
    return samples;
  }
}
