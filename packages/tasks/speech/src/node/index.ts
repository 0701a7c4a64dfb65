import { readFileSync } from 'node:fs';
import { DataError } from '@s2s/data';
import { setAudioFileReader } from '../audio/audio-input.js';

export { sampleFolder } from './sample.js';

/**
 * Reads a WAV file's bytes from Node's file system, synchronously as a pipeline's `encode`
 * needs; a missing file, a folder or an unreadable file is a `DataError` naming it.
 */
export function readAudioFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
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
}

// Importing this entry is how Node programs (and the CLI) let speech pipelines read WAV paths.
setAudioFileReader(readAudioFile);
