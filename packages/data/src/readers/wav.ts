import { parseOptions } from '@s2s/core';
import * as wavefileModule from 'wavefile';
import { z } from 'zod';
import { resample } from '../audio/resample.js';
import { DataError } from '../errors/data-error.js';

/**
 * wavefile ships CommonJS for Node (its class on the default export) and an ES module for
 * bundlers (a named export); take it from wherever this environment put it. `Reflect.get`
 * reads `default` without a bundler warning that the ES module has none.
 */
const wavefile = ((Reflect.get(wavefileModule, 'default') as typeof wavefileModule | undefined) ??
  wavefileModule) as typeof wavefileModule;

/** Mono audio as floats in [−1, 1]. */
export interface Audio {
  readonly samples: Float32Array;
  /** Samples per second. */
  readonly sampleRate: number;
  /** Channels in the file, before they were mixed down. */
  readonly channels: number;
}

/** Options of {@link decodeWav} and `readWav` (`@s2s/data/node`). */
export interface WavOptions {
  /** Resample to this rate. Default: keep the file's rate. */
  readonly sampleRate?: number;
  /**
   * Refuse a recording longer than this many seconds, judged from the header before any
   * sample is decoded or resampled. Default: no limit.
   */
  readonly maxSeconds?: number;
}

/** The options of {@link decodeWav} and `readWav`. */
export const wavOptions = z.strictObject({
  sampleRate: z.int().positive().optional().describe("Resample to this rate. Default: the file's"),
  maxSeconds: z
    .number()
    .nonnegative()
    .optional()
    .describe('Refuse a recording longer than this, judged from the header. Default: no limit'),
});

/** A WAV file read by `readWavFiles` (`@s2s/data/node`). */
export interface WavFile extends Audio {
  readonly file: string;
}

const formatNames: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'µ-law',
  17: 'IMA ADPCM',
  85: 'MPEG layer 3',
};

/**
 * Decodes a WAV file's bytes (parsed by the `wavefile` library): linear PCM of 8 to 32
 * bits or IEEE float, any channel count, mixed down to mono by averaging the channels and
 * optionally resampled. Anything else — not RIFF/WAVE, a compressed encoding such as
 * A-law or ADPCM, no samples — fails with a {@link DataError} naming `file`.
 */
export function decodeWav(bytes: Uint8Array, file = '<buffer>', options: WavOptions = {}): Audio {
  const o = parseOptions('decodeWav', wavOptions, options);
  const maxSeconds = o.maxSeconds ?? Infinity;
  const target = o.sampleRate;
  const tag = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  if (bytes.length < 12 || !['RIFF', 'RIFX', 'RF64'].includes(tag(0)) || tag(8) !== 'WAVE') {
    throw new DataError({ file }, 'not a WAV file (no RIFF/WAVE header)');
  }
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (error) {
    throw new DataError({ file }, `unreadable WAV file: ${(error as Error).message}`);
  }
  const fmt = wav.fmt as {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
    subformat: number[];
  };
  const format = fmt.audioFormat === 0xfffe ? (fmt.subformat[0] ?? 0) & 0xffff : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  const isFloat = format === 3 && fmt.audioFormat === 3 && (bits === 32 || bits === 64);
  if (!isFloat && !(format === 1 && bits >= 8 && bits <= 32)) {
    const name =
      formatNames[format] ?? (format === 3 ? 'extensible IEEE float' : `format ${format}`);
    throw new DataError(
      { file },
      `WAV encoding ${name} (${bits} bits) is not PCM; expected linear PCM of 8–32 bits or 32/64-bit float`,
    );
  }
  const channels = fmt.numChannels;
  const rate = fmt.sampleRate;
  if (!Number.isInteger(channels) || channels < 1) {
    throw new DataError({ file }, `the header declares ${channels} channels; expected at least 1`);
  }
  if (!Number.isInteger(rate) || rate < 1) {
    throw new DataError(
      { file },
      `the header declares a sample rate of ${rate} Hz; expected a positive rate`,
    );
  }
  // Duration from the header, before decoding or resampling a sample: a tiny file that
  // claims 1 Hz would otherwise be resampled into hours of audio.
  const declared = (wav.data as { chunkSize: number }).chunkSize / (channels * (bits / 8));
  if (declared / rate > maxSeconds) {
    throw new DataError(
      { file },
      `${(declared / rate).toFixed(1)} s of audio (${Math.floor(declared)} frames at ${rate} Hz); at most ${maxSeconds} s accepted`,
    );
  }
  const interleaved = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  const frames = Math.floor(interleaved.length / channels);
  if (frames === 0) throw new DataError({ file }, 'no audio samples (empty recording)');
  // Integer PCM is scaled to [−1, 1); 8-bit PCM is unsigned, centred on 128.
  const offset = !isFloat && bits === 8 ? 128 : 0;
  const scale = isFloat ? 1 : 2 ** (bits - 1);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c]! - offset;
    if (!Number.isFinite(sum)) {
      throw new DataError(
        { file },
        `sample ${i} (at ${(i / rate).toFixed(3)} s) is ${sum}; expected finite audio samples`,
      );
    }
    mono[i] = sum / (channels * scale);
  }
  const samples = target === undefined || target === rate ? mono : resample(mono, rate, target);
  if (samples.length === 0) {
    throw new DataError(
      { file },
      `${frames} frames at ${rate} Hz give no sample at ${target} Hz; the recording is too short`,
    );
  }
  return { samples, sampleRate: target ?? rate, channels };
}
