import { registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../register.js';
import { comprehensionDefaults } from '../task/defaults.js';
import { comprehensionDataSchema, dataDefaults, dataSettings } from './data-settings.js';

const settings = (data: Record<string, unknown>) => ({ ...comprehensionDefaults, data });

describe('comprehension data settings', () => {
  it('fill the defaults, and the task defaults pass the schema', () => {
    expect(dataSettings(settings({}))).toEqual(dataDefaults);
    expect(comprehensionDataSchema.parse(comprehensionDefaults.data)).toEqual(dataDefaults);
    expect(dataSettings(settings({ tasks: [1, 20], question: 'words' }))).toEqual({
      tasks: [1, 20],
      maxSentences: 50,
      question: 'words',
    });
    // 'all' is the same as leaving tasks out: every task file in the folder.
    expect(dataSettings(settings({ tasks: 'all' }))).toEqual(dataDefaults);
  });

  it('gives a JSON Schema for the data block of a config file', () => {
    const json = z.toJSONSchema(comprehensionDataSchema, { io: 'input' });
    expect(json).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(json.properties ?? {})).toEqual(Object.keys(comprehensionDataSchema.shape));
  });

  it('name a typo with a suggestion and a bad value by its path', () => {
    expect(() => dataSettings(settings({ maxSentence: 10 }))).toThrow(
      /comprehension settings: unknown option 'data\.maxSentence' \(did you mean 'maxSentences'\?\)/,
    );
    expect(() => dataSettings(settings({ tasks: [1, 21] }))).toThrow(
      /option 'data\.tasks\.1': .*<=20, got 21/,
    );
    expect(() => dataSettings(settings({ tasks: [] }))).toThrow(/option 'data\.tasks'/);
    expect(() => dataSettings(settings({ question: 'word' }))).toThrow(
      /option 'data\.question': .*"sentence"\|"words".*got 'word'/,
    );
  });

  it('is the task the registry hands out, which takes no options', () => {
    expect(registry.create('task', { name: 'comprehension' }).name).toBe('comprehension');
    expect(() => registry.create('task', { name: 'comprehension', tasks: [1] })).toThrow(
      /task 'comprehension': unknown option 'task\.tasks'/,
    );
  });
});
