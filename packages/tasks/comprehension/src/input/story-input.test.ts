import { S2SError } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { formatStoryInput, parseStoryInput } from './story-input.js';

describe('story inputs', () => {
  it('round-trips a story, a question and optional support through one JSON line', () => {
    const input = {
      story: ['Mary went home.', 'John left.'],
      question: 'Where is Mary?',
      support: [0],
    };
    const line = formatStoryInput(input);
    expect(line).not.toContain('\n');
    expect(parseStoryInput(line)).toEqual(input);
    expect(parseStoryInput('{"story": ["A b."], "question": "C?"}')).toEqual({
      story: ['A b.'],
      question: 'C?',
      support: [],
    });
  });

  it('rejects what is not a story with a question, saying what was expected', () => {
    const bad: [string, RegExp][] = [
      ['Where is Mary?', /expected a JSON object \{"story"/],
      ['[1, 2]', /JSON object with "story" and "question"/],
      ['{"story": [], "question": "Q?"}', /non-empty array of sentences/],
      ['{"story": ["A.", ""], "question": "Q?"}', /story sentence 1 must be a non-empty string/],
      ['{"story": ["A."]}', /"question": a non-empty string/],
      [
        '{"story": ["A."], "question": "Q?", "support": [3]}',
        /indices of story sentences \(0 to 0\)/,
      ],
    ];
    for (const [line, message] of bad) {
      expect(() => parseStoryInput(line), line).toThrow(S2SError);
      expect(() => parseStoryInput(line), line).toThrow(message);
    }
  });
});
