import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Audio, decodeWav, type WavFile, type WavOptions } from '../readers/wav.js';
import { asDataError } from './read-lines.js';

/** Reads and decodes one WAV file; see {@link decodeWav}. */
export async function readWav(file: string, options: WavOptions = {}): Promise<Audio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw asDataError(error, file);
  }
  return decodeWav(bytes, file, options);
}

/**
 * Streams WAV files one at a time, so a speech corpus larger than memory can be turned
 * into features file by file. Given a directory, reads its `.wav` files in name order.
 */
export async function* readWavFiles(
  files: string | Iterable<string> | AsyncIterable<string>,
  options: WavOptions = {},
): AsyncGenerator<WavFile> {
  const list = typeof files === 'string' ? await listWavFiles(files) : files;
  for await (const file of list) yield { file, ...(await readWav(file, options)) };
}

/** The `.wav` files of a directory, in code-unit order of their names. */
export async function listWavFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw asDataError(error, directory);
  }
  return names
    .filter((name) => name.toLowerCase().endsWith('.wav'))
    .sort()
    .map((name) => join(directory, name));
}
