import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskExample } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { nodeReadOptions } from '@s2s/data/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AudioInput, parseDigitClip, speechTask, transcriptOf } from '../src/index.js';
// Lets AudioInput and the pipeline read WAV paths from the file system.
import '../src/node/index.js';

const folder = join(import.meta.dirname, 'fixtures', 'fsdd');
const settings = {
  ...speechTask.defaults,
  data: { ...speechTask.defaults.data, utterances: { perSpeaker: 3, seed: 1 } },
};

describe('the shipped FSDD sample', () => {
  let examples: TaskExample[];
  beforeAll(async () => {
    await pinBackend('wasm');
    examples = [];
    for await (const e of speechTask.read(folder, settings, nodeReadOptions)) examples.push(e);
  });

  it('reads a real 8 kHz 16-bit clip: one sample per two data bytes', () => {
    const file = join(folder, '3_theo_0.wav');
    const samples = new AudioInput(8000).samples(file);
    expect(samples.length).toBe((statSync(file).size - 44) / 2);
    expect(Math.max(...samples.map(Math.abs))).toBeLessThanOrEqual(1);
  });

  it("builds each speaker's utterances from that speaker's recordings, transcribed by digit", () => {
    expect(examples).toHaveLength(15);
    for (const e of examples) {
      const recipe = AudioInput.recipe(e.input)!;
      for (const clip of recipe.clips) expect(parseDigitClip(clip)!.speaker).toBe(recipe.speaker);
      expect(e.references[0]).toBe(transcriptOf(recipe));
    }
  });

  it('encodes real utterances as 40 ms frames of 4 × 40 normalised log-mel features', async () => {
    const pipeline = await speechTask.fit(examples, settings);
    const inputs = examples.slice(0, 4).map((e) => e.input);
    const audio = new AudioInput(8000);
    const encoded = pipeline.encode(inputs);
    const frames = encoded.mask.sum(1).arraySync() as number[];
    inputs.forEach((input, row) => {
      const n = audio.samples(input).length;
      // 25 ms windows every 10 ms, stacked 4 to one.
      expect(frames[row]).toBe(Math.ceil((1 + Math.floor((n - 200) / 80)) / 4));
    });
    expect(encoded.source.shape).toEqual([4, Math.max(...frames), 160]);
    expect(tf.tidy(() => tf.all(tf.isFinite(encoded.source)).dataSync()[0])).toBe(1);
    tf.dispose([encoded.source, encoded.mask]);
  });
});
