import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes 16-bit PCM WAV bytes by hand (44-byte canonical header), as an independent check on
 * the WAV reader: `channels[c][i]` in [−1, 1] is sample i of channel c.
 */
export function pcm16Wav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const c = channels.length;
  const n = channels[0]?.length ?? 0;
  const bytes = new Uint8Array(44 + n * c * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + n * c * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, c, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * c * 2, true);
  view.setUint16(32, c * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, n * c * 2, true);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      const x = Math.max(-1, Math.min(1, channels[k]![i]!));
      view.setInt16(44 + (i * c + k) * 2, Math.round(x * 32767), true);
    }
  }
  return bytes;
}

/** A sine tone of `hz` lasting `ms`, with 5 ms fades so it starts and ends at zero. */
export function tone(hz: number, ms: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const fade = Math.round(0.005 * sampleRate);
  return Float32Array.from({ length: n }, (_, i) => {
    const ramp = Math.min(1, i / fade, (n - 1 - i) / fade);
    return amplitude * ramp * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  });
}

/** A fresh temporary folder. */
export function tempFolder(prefix = 's2s-speech-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes mono 16-bit WAV `name` into `folder`; returns its path. */
export function writeWav(
  folder: string,
  name: string,
  samples: Float32Array,
  sampleRate: number,
): string {
  const path = join(folder, name);
  writeFileSync(path, pcm16Wav([samples], sampleRate));
  return path;
}

/** Options of {@link writeToneCorpus}. */
export interface ToneCorpusOptions {
  readonly speakers: readonly string[];
  readonly digits: readonly number[];
  readonly takes: number;
  readonly sampleRate?: number;
}

/**
 * A stand-in for FSDD made of tones: digit d is a tone of 250 + 150·d Hz, each speaker a
 * few per cent higher than the last and each take a little longer, written as
 * `{digit}_{speaker}_{take}.wav`. Returns the folder.
 */
export function writeToneCorpus(folder: string, options: ToneCorpusOptions): string {
  const rate = options.sampleRate ?? 8000;
  options.speakers.forEach((speaker, s) => {
    for (const d of options.digits) {
      for (let take = 0; take < options.takes; take++) {
        const hz = (250 + 150 * d) * (1 + 0.03 * s);
        writeWav(folder, `${d}_${speaker}_${take}.wav`, tone(hz, 120 + 20 * take, rate), rate);
      }
    }
  });
  return folder;
}
