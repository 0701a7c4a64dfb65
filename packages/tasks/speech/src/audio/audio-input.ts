import { readFileSync } from 'node:fs';
import { DataError, decodeWav } from '@s2s/data';
import {
  parseUtteranceRecipe,
  renderUtterance,
  type UtteranceRecipe,
} from '../utterances/utterance.js';

/**
 * Turns a speech task's inputs into mono samples at one sample rate. An input is either a
 * WAV file's path (any PCM or float WAV: resampled to the rate, channels averaged) or a
 * JSON {@link UtteranceRecipe} (an utterance built from clips, rendered sample for sample).
 * Reading is synchronous, because a pipeline's `encode` is. Decoded clips are kept, so
 * the utterances built from one corpus decode each clip file once.
 */
export class AudioInput {
  private readonly clips = new Map<string, Float32Array>();

  constructor(
    readonly sampleRate: number,
    /** Longest recording read, judged from its header before decoding. */
    readonly maxSeconds = Number.POSITIVE_INFINITY,
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
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem =
        code === 'ENOENT'
          ? 'no such file; expected the path of a WAV file'
          : code === 'EISDIR'
            ? 'is a folder; expected the path of a WAV file'
            : `cannot be read (${(error as Error).message})`;
      throw new DataError({ file }, problem);
    }
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
