import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@s2s/core';
import { DataError } from '@s2s/data';
import { describe, expect, it } from 'vitest';
import { pcm16Wav, tempFolder, tone, writeWav } from '../../test/wav.js';
import { readAudioFile } from '../node/index.js';
import { renderUtterance } from '../utterances/utterance.js';
import { AudioInput, setAudioFileReader } from './audio-input.js';

const folder = tempFolder();
const audio = new AudioInput(8000, Number.POSITIVE_INFINITY, readAudioFile);
const q = 1 / 32767; // one 16-bit step

describe('AudioInput', () => {
  it('reads a WAV at the pipeline rate as it is', () => {
    const x = tone(440, 100, 8000);
    const path = writeWav(folder, 'a.wav', x, 8000);
    const got = audio.samples(path);
    expect(got.length).toBe(x.length);
    got.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(q));
  });

  it('resamples a WAV of another rate: a 16 kHz tone becomes the 8 kHz tone', () => {
    const path = writeWav(folder, 'b16k.wav', tone(500, 200, 16000), 16000);
    const got = audio.samples(path);
    const reference = tone(500, 200, 8000);
    expect(Math.abs(got.length - reference.length)).toBeLessThanOrEqual(1);
    // Away from the edges, where the interpolation filter runs off the ends.
    for (let i = 40; i < reference.length - 40; i++)
      expect(Math.abs(got[i]! - reference[i]!), `sample ${i}`).toBeLessThan(0.01);
  });

  it('mixes a stereo WAV down to the mean of its channels', () => {
    const left = tone(300, 50, 8000, 0.8);
    const right = tone(700, 50, 8000, 0.3);
    const path = join(folder, 'stereo.wav');
    writeFileSync(path, pcm16Wav([left, right], 8000));
    const got = audio.samples(path);
    expect(got.length).toBe(left.length);
    got.forEach((v, i) => expect(Math.abs(v - (left[i]! + right[i]!) / 2)).toBeLessThanOrEqual(q));
  });

  it('renders an utterance recipe from its clips', () => {
    const one = writeWav(folder, '1_zed_0.wav', tone(300, 80, 8000), 8000);
    const two = writeWav(folder, '2_zed_0.wav', tone(600, 60, 8000), 8000);
    const recipe = { speaker: 'zed', clips: [one, two], gapsMs: [10, 30, 20], snrDb: 30, seed: 4 };
    const expected = renderUtterance(recipe, [audio.samples(one), audio.samples(two)], 8000);
    expect(audio.samples(JSON.stringify(recipe))).toEqual(expected);
    expect(AudioInput.recipe(JSON.stringify(recipe))).toEqual(recipe);
    expect(AudioInput.recipe(one)).toBeUndefined();
  });

  it('reads through the reader it is given, or the one set, and names the way to set one', () => {
    const x = tone(440, 50, 8000);
    const bytes = pcm16Wav([x], 8000);
    // As in a browser: the bytes were fetched already; paths are only names for them.
    const inMemory = new AudioInput(8000, Number.POSITIVE_INFINITY, (path) => {
      if (path !== 'clips/a.wav') throw new DataError({ file: path }, 'not fetched');
      return bytes;
    });
    const got = inMemory.samples('clips/a.wav');
    expect(got.length).toBe(x.length);
    got.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(q));
    expect(() => inMemory.samples('clips/b.wav')).toThrow(/clips\/b\.wav: not fetched/);
    try {
      setAudioFileReader(undefined);
      const none = new AudioInput(8000);
      expect(() => none.samples('clips/a.wav')).toThrow(ConfigError);
      expect(() => none.samples('clips/a.wav')).toThrow(/import '@s2s\/task-speech\/node'/);
      setAudioFileReader(() => bytes);
      expect(none.samples('any.wav')).toEqual(got);
    } finally {
      setAudioFileReader(readAudioFile);
    }
  });

  describe('bad input is a DataError naming the file and the problem', () => {
    const cases: [string, () => string, RegExp][] = [
      ['a missing file', () => join(folder, 'nope.wav'), /nope\.wav: no such file/],
      ['a folder', () => folder, /is a folder/],
      ['an empty file', () => file('empty.wav', new Uint8Array(0)), /empty file \(0 bytes\)/],
      [
        'a text file',
        () => file('notes.wav', new TextEncoder().encode('seven three nine\n')),
        /notes\.wav: not a WAV file/,
      ],
      [
        'a WAV without samples',
        () => file('silent.wav', pcm16Wav([new Float32Array(0)], 8000)),
        /no audio samples/,
      ],
      [
        "a WAV file's bytes given as the input",
        () => new TextDecoder('latin1').decode(pcm16Wav([tone(300, 10, 8000)], 8000)),
        /the content of a WAV file, not its path/,
      ],
      [
        'a non-WAV clip inside a recipe',
        () => recipeWith(file('c.wav', new Uint8Array([1, 2, 3]))),
        /c\.wav: not a WAV file/,
      ],
    ];
    for (const [what, make, message] of cases) {
      it(what, () => {
        const input = make();
        expect(() => audio.samples(input)).toThrow(DataError);
        expect(() => audio.samples(input)).toThrow(message);
      });
    }
  });
});

function file(name: string, bytes: Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

function recipeWith(clip: string): string {
  return JSON.stringify({ speaker: 'x', clips: [clip], gapsMs: [0, 0], snrDb: 30, seed: 1 });
}
