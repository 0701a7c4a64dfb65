import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type TaskExample, type TaskReadOptions, type TaskSettings } from '@s2s/core';
import { DataError } from '@s2s/data';
import { nodeReadOptions } from '@s2s/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, tone, writeToneCorpus, writeWav } from '../../test/wav.js';
import { AudioInput } from '../audio/audio-input.js';
import { transcriptOf } from '../utterances/utterance.js';
import type { SpeechPipeline } from './speech-pipeline.js';
import { speakerOf, speechTask } from './speech-task.js';

const settings = (data: Record<string, unknown> = {}): TaskSettings => ({
  ...speechTask.defaults,
  data: { ...speechTask.defaults.data, utterances: { perSpeaker: 6, seed: 2 }, ...data },
});

async function readAll(path: string, s = settings()): Promise<TaskExample[]> {
  const out: TaskExample[] = [];
  for await (const e of speechTask.read(path, s, nodeReadOptions)) out.push(e);
  return out;
}

let corpus: string;
beforeAll(() => {
  corpus = writeToneCorpus(tempFolder(), {
    speakers: ['ann', 'bob', 'theo'],
    digits: [0, 1, 2, 3],
    takes: 2,
  });
});

describe('speechTask.read', () => {
  it('builds perSpeaker utterances per speaker from a folder of FSDD clips', async () => {
    const examples = await readAll(corpus);
    expect(examples).toHaveLength(18);
    for (const e of examples) {
      const recipe = AudioInput.recipe(e.input)!;
      expect(recipe.clips.every((f) => f.startsWith(corpus))).toBe(true);
      expect(e.references).toEqual([transcriptOf(recipe)]);
      expect(e.origin).toMatch(new RegExp(`^${corpus}#${recipe.speaker}-[1-6]$`));
    }
    expect(await readAll(corpus)).toEqual(examples);
  });

  it('reads a .tsv manifest of recordings, paths relative to it', async () => {
    const folder = tempFolder();
    writeWav(folder, 'hello.wav', tone(400, 100, 8000), 8000);
    const manifest = join(folder, 'list.tsv');
    writeFileSync(manifest, 'hello.wav\tHello there\n\n');
    expect(await readAll(manifest)).toEqual([
      { input: join(folder, 'hello.wav'), references: ['Hello there'], origin: `${manifest}:1` },
    ]);
  });

  it('reads through the file access it is given, and names what is missing', async () => {
    const first = (path: string, options: TaskReadOptions) =>
      speechTask.read(path, settings(), options)[Symbol.asyncIterator]().next();
    await expect(first(corpus, {})).rejects.toThrow(ConfigError);
    await expect(first(corpus, {})).rejects.toThrow(/needs options\.pathKind.*'@s2s\/data\/node'/);
    const folder = { pathKind: async () => 'folder' as const };
    await expect(first('clips', folder)).rejects.toThrow(/needs options\.listFolder/);
    const file = { pathKind: async () => 'file' as const };
    await expect(first('list.tsv', file)).rejects.toThrow(/needs options\.readLines/);
    // A manifest and a folder in memory, as a page would give them.
    async function* readLines() {
      yield { text: 'a.wav\tyes', number: 1 };
      yield { text: '/abs/b.wav\tno', number: 2 };
    }
    const read: TaskExample[] = [];
    for await (const e of speechTask.read('data/list.tsv', settings(), { ...file, readLines }))
      read.push(e);
    expect(read.map((e) => e.input)).toEqual(['data/a.wav', '/abs/b.wav']);
    const listFolder = async () => ['2_ann_0.wav', 'notes.txt', '1_ann_0.WAV'];
    const clips: TaskExample[] = [];
    for await (const e of speechTask.read('clips/', settings({ folder: 'clips' }), {
      ...folder,
      listFolder,
    }))
      clips.push(e);
    expect(clips.map((e) => [e.input, e.references[0]])).toEqual([
      ['clips/1_ann_0.WAV', 'one'],
      ['clips/2_ann_0.wav', 'two'],
    ]);
  });

  it("reads each clip of a folder as one example with folder: 'clips'", async () => {
    const examples = await readAll(corpus, settings({ folder: 'clips' }));
    // 3 speakers × 4 digits × 2 takes, in file-name order, each the digit's word.
    expect(examples).toHaveLength(24);
    expect(examples[0]).toEqual({
      input: join(corpus, '0_ann_0.wav'),
      references: ['zero'],
      origin: join(corpus, '0_ann_0.wav'),
    });
    for (const e of examples) {
      const digit = Number(e.input.split('/').pop()![0]);
      expect(e.references).toEqual([['zero', 'one', 'two', 'three'][digit]]);
    }
    expect(speechTask.split!(examples, settings({ folder: 'clips' })).dev).toHaveLength(8);
    await expect(readAll(corpus, settings({ folder: 'words' }))).rejects.toThrow(/folder/);
  });

  it('reads one FSDD clip as one example', async () => {
    const clip = join(corpus, '3_bob_1.wav');
    expect(await readAll(clip)).toEqual([{ input: clip, references: ['three'], origin: clip }]);
  });

  it('fails with a DataError naming what is wrong', async () => {
    const odd = tempFolder();
    writeWav(odd, 'recording.wav', tone(400, 50, 8000), 8000);
    await expect(readAll(odd)).rejects.toThrow(/recording\.wav: not an FSDD clip name/);
    await expect(readAll(tempFolder())).rejects.toThrow(/no \.wav files/);
    await expect(readAll(join(odd, 'recording.wav'))).rejects.toThrow(/needs an FSDD name/);
    await expect(readAll(join(odd, 'missing'))).rejects.toThrow(DataError);
    await expect(readAll(corpus, settings({ outputs: 'phones' }))).rejects.toThrow(
      /option 'data\.outputs': .*"word"\|"character".*got 'phones'/,
    );
  });
});

describe('speechTask.split', () => {
  it('holds out every utterance of the dev speaker, and only those', async () => {
    const examples = await readAll(corpus);
    const { train, dev } = speechTask.split!(examples, settings({ devSpeaker: 'bob' }));
    expect(dev.map(speakerOf)).toEqual(Array(6).fill('bob'));
    expect(new Set(train.map(speakerOf))).toEqual(new Set(['ann', 'theo']));
    expect(train.length + dev.length).toBe(examples.length);
  });

  it('names the speakers there are when the dev speaker is not among them', async () => {
    const examples = await readAll(corpus);
    expect(() => speechTask.split!(examples, settings({ devSpeaker: 'zoe' }))).toThrow(ConfigError);
    expect(() => speechTask.split!(examples, settings({ devSpeaker: 'zoe' }))).toThrow(
      /'zoe'.*ann, bob, theo/,
    );
  });
});

describe('speechTask.fit and restore', () => {
  it('learns the output vocabulary: words, or characters with the space', async () => {
    const examples = await readAll(corpus);
    const words = (await speechTask.fit(examples, settings())) as SpeechPipeline;
    expect(words.vocabulary.toJSON().tokens.slice().sort()).toEqual([
      'one',
      'three',
      'two',
      'zero',
    ]);
    const chars = (await speechTask.fit(
      examples,
      settings({ outputs: 'character' }),
    )) as SpeechPipeline;
    expect(chars.vocabulary.toJSON().tokens.slice().sort().join('')).toBe(' ehnortwz');
  });

  it('restores a pipeline from its JSON that encodes and decodes the same', async () => {
    const examples = await readAll(corpus);
    const s = settings({ features: { melBins: 20, stack: 2 } });
    const fitted = await speechTask.fit(examples, s);
    const json = JSON.parse(JSON.stringify(fitted.toJSON()));
    // Settings given at restore time do not override what the model was trained with.
    const restored = speechTask.restore(json, settings({ features: { melBins: 80 } }));
    expect(restored.toJSON()).toEqual(fitted.toJSON());
    const a = fitted.encode([examples[0]!.input]);
    const b = restored.encode([examples[0]!.input]);
    expect(b.source.shape).toEqual(a.source.shape);
    expect(b.source.dataSync()).toEqual(a.source.dataSync());
    for (const t of [a.source, a.mask, b.source, b.mask]) t.dispose();
    expect(() => speechTask.restore({ version: 7 }, s)).toThrow(ConfigError);
  });
});
