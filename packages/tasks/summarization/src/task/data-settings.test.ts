import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSettings, registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../register.js';
import { articleGeneratorOptions, generateArticles } from '../generate/article-generator.js';
import { dataSettings, summarizationDataSchema } from './data-settings.js';
import { extractivePreset, headlinePreset, summaryPreset } from './summarization-task.js';

const settings = (data: Record<string, unknown>) => ({ ...summaryPreset, data });
const presets = join(import.meta.dirname, '../../presets');
const shipped = readdirSync(presets).filter((file) => file.endsWith('.json'));
const presetPath = (file: string) => join(presets, file);

describe('summarization data settings', () => {
  it('finds the shipped presets', () => expect(shipped).toContain('extractive.json'));

  it('every built-in preset passes the schema, what it sets kept', () => {
    for (const preset of [summaryPreset, headlinePreset, extractivePreset]) {
      expect(dataSettings(preset)).toMatchObject(preset.data);
    }
    expect(dataSettings(headlinePreset).target).toBe('headline');
  });

  it.each(shipped)(
    'the shipped preset presets/%s passes, alone and over the task defaults',
    (file) => {
      const preset = JSON.parse(readFileSync(presetPath(file), 'utf8'));
      expect(summarizationDataSchema.parse(preset.data)).toMatchObject(preset.data);
      const merged = mergeSettings(summaryPreset, preset);
      expect(dataSettings(merged)).toMatchObject({ ...summaryPreset.data, ...preset.data });
    },
  );

  it('gives a JSON Schema for the data block of a config file', () => {
    const json = z.toJSONSchema(summarizationDataSchema, { io: 'input' });
    expect(json).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(json.properties ?? {})).toEqual(Object.keys(summarizationDataSchema.shape));
  });

  it('fills the documented defaults for an empty block', () => {
    expect(dataSettings(settings({}))).toEqual({
      target: 'summary',
      sourceParagraphs: 0,
      maxSourceTokens: 200,
      maxTargetTokens: 80,
      vocabularySize: 5000,
      minFrequency: 2,
      maxSourceOovs: 100,
      lowercase: true,
      maxSentences: 50,
      maxSentenceWords: 60,
      targetOrder: 'gain',
      outputOrder: 'article',
      wordBudget: 0,
    });
  });

  it('names a typo with a suggestion and a bad value by its path', () => {
    expect(() => dataSettings(settings({ targetOrdr: 'gain' }))).toThrow(
      /summarization settings: unknown option 'data\.targetOrdr' \(did you mean 'targetOrder'\?\)/,
    );
    expect(() => dataSettings(settings({ target: 'title' }))).toThrow(
      /option 'data\.target': .*"summary"\|"headline".*got 'title'/,
    );
    expect(() => dataSettings(settings({ vocabularySize: 4 }))).toThrow(
      /option 'data\.vocabularySize': must leave room .* specials, got 4/,
    );
    expect(() => dataSettings(settings({ lowercase: 'yes' }))).toThrow(
      /option 'data\.lowercase': .*expected boolean.*got 'yes'/,
    );
    expect(() => dataSettings(settings({ sourceParagraphs: -1 }))).toThrow(
      /option 'data\.sourceParagraphs': .*>=0, got -1/,
    );
    expect(() => dataSettings(settings({ wordBudget: 1.5 }))).toThrow(
      /option 'data\.wordBudget': .*<=1, got 1\.5/,
    );
    expect(() => dataSettings(settings({ wordBudget: 'learnt' }))).toThrow(/'data\.wordBudget'/);
    expect(dataSettings(settings({ wordBudget: 'learned' })).wordBudget).toBe('learned');
  });

  it('both tasks take no options of their own from the registry', () => {
    for (const name of ['summarization', 'summarization-headline']) {
      expect(registry.create('task', { name }).name).toBe(name);
      expect(() => registry.create('task', { name, target: 'headline' })).toThrow(
        new RegExp(`task '${name}': unknown option 'task\\.target'`),
      );
    }
  });

  it('the article generator checks its options', () => {
    expect(() => generateArticles({ count: 2, seed: 1, paragraph: 3 } as never)).toThrow(
      /generateArticles: unknown option 'paragraph' \(did you mean 'paragraphs'\?\)/,
    );
    expect(() => generateArticles({ count: 0, seed: 1 })).toThrow(/option 'count': .*>0, got 0/);
    expect(articleGeneratorOptions.parse({ count: 1, seed: 1 }).paragraphs).toBe(4);
  });
});
