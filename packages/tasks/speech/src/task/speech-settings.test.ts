import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSettings, registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../register.js';
import { dataDefaults, speechDataSchema, speechDataSettings } from './speech-settings.js';
import { speechTask } from './speech-task.js';

const recipes = join(import.meta.dirname, '../../recipes');
const shipped = readdirSync(recipes).filter((file) => file.endsWith('.json'));

describe('speech data settings', () => {
  it('find the shipped recipes', () => expect(shipped.length).toBeGreaterThanOrEqual(2));

  it('fill the defaults: the task defaults pass and come back with every nested default', () => {
    const data = speechDataSettings({});
    expect(data).toMatchObject(dataDefaults);
    expect(speechDataSettings(speechTask.defaults.data)).toEqual(data);
    // Nested blocks get their own defaults too.
    expect(data.utterances).toMatchObject({ perSpeaker: 400, seed: 1, minDigits: 1, maxDigits: 7 });
    expect(data.features).toEqual({
      sampleRate: 8000,
      melBins: 40,
      windowMs: 25,
      hopMs: 10,
      stack: 4,
    });
    expect(speechDataSettings({ perturb: false, pad: false })).toMatchObject({ perturb: false });
  });

  it.each(shipped)(
    'the shipped recipe recipes/%s passes, alone and over the task defaults',
    (file) => {
      const recipe = JSON.parse(readFileSync(join(recipes, file), 'utf8'));
      expect(speechDataSchema.parse(recipe.data)).toMatchObject(recipe.data);
      const merged = mergeSettings(speechTask.defaults, recipe);
      expect(speechDataSettings(merged.data)).toMatchObject(recipe.data);
    },
  );

  it('name a nested typo with its path and a suggestion, and a bad value by its path', () => {
    expect(() => speechDataSettings({ utterances: { perSpeakr: 10 } })).toThrow(
      /speech settings: unknown option 'data\.utterances\.perSpeakr' \(did you mean 'perSpeaker'\?\)/,
    );
    expect(() => speechDataSettings({ featurs: {} })).toThrow(
      /unknown option 'data\.featurs' \(did you mean 'features'\?\)/,
    );
    expect(() => speechDataSettings({ features: { stack: 0 } })).toThrow(
      /option 'data\.features\.stack': .*>0, got 0/,
    );
    expect(() => speechDataSettings({ specAugment: { timeMasks: -1 } })).toThrow(
      /option 'data\.specAugment\.timeMasks': .*>=0, got -1/,
    );
    expect(() => speechDataSettings({ specAugment: { timeMask: 1 } })).toThrow(
      /'data\.specAugment\.timeMask' \(did you mean 'timeMasks'\?\)/,
    );
    expect(() => speechDataSettings({ perturb: true })).toThrow(/option 'data\.perturb'/);
    expect(() => speechDataSettings({ maxSeconds: 0 })).toThrow(
      /option 'data\.maxSeconds': .*>=0\.01, got 0/,
    );
    expect(() => speechDataSettings({ devSpeaker: '' })).toThrow(/option 'data\.devSpeaker'/);
    expect(() => speechDataSettings({ utterances: { minDigits: 5, maxDigits: 2 } })).toThrow(
      /option 'data\.utterances': maxDigits \(2\) must be at least minDigits \(5\)/,
    );
  });

  it('give a JSON Schema for config files, nested blocks and their descriptions included', () => {
    const json = z.toJSONSchema(speechDataSchema, { io: 'input' }) as {
      properties: Record<string, { description?: string; anyOf?: unknown[] }>;
      additionalProperties?: boolean;
    };
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(json.properties)).toEqual(Object.keys(dataDefaults));
    expect(json.properties.perturb!.anyOf).toHaveLength(2);
    expect(json.properties.maxSeconds!.description).toMatch(/Longest input/);
  });

  it('is the task the registry hands out, which takes no options', () => {
    expect(registry.create('task', { name: 'speech' })).toBe(speechTask);
    expect(() => registry.create('task', { name: 'speech', outputs: 'word' })).toThrow(
      /task 'speech': unknown option 'task\.outputs'/,
    );
  });
});
