import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { collect, tempFile } from '../../test/helpers.js';
import { DataError } from '../errors/data-error.js';
import { readBabiStories } from '../node/read-files.js';
import { babiExamples } from './babi.js';

describe('readBabiStories', () => {
  it('starts a new story where the ids restart at 1', async () => {
    const stories = await collect(readBabiStories(fixture('babi/qa1-sample.txt')));
    expect(stories).toHaveLength(2);
    expect(stories.map((s) => s.line)).toEqual([1, 16]);
    expect(stories[0]!.facts[0]).toEqual({ id: 1, text: 'Mary moved to the bathroom.' });
    expect(stories[0]!.facts).toHaveLength(10);
    expect(stories[0]!.questions[0]).toEqual({
      id: 3,
      text: 'Where is Mary?',
      answer: 'bathroom',
      supportingFacts: [1],
    });
    expect(stories[1]!.questions).toHaveLength(5);
  });

  it('reads questions with no space before the tab, several supporting ids and list answers', async () => {
    const [path] = await collect(readBabiStories(fixture('babi/qa19-sample.txt')));
    expect(path!.questions).toEqual([
      {
        id: 6,
        text: 'How do you go from the kitchen to the garden?',
        answer: 's,e',
        supportingFacts: [2, 4],
      },
    ]);
    const [lists] = await collect(readBabiStories(fixture('babi/qa8-sample.txt')));
    expect(lists!.questions.at(-1)).toEqual({
      id: 17,
      text: 'What is Mary carrying?',
      answer: 'football,apple',
      supportingFacts: [7, 13, 15, 10],
    });
  });

  it('turns a story into examples whose context is the facts told before each question', async () => {
    const [story] = await collect(readBabiStories(fixture('babi/qa8-sample.txt')));
    const examples = babiExamples(story!);
    expect(examples).toHaveLength(5);
    expect(examples[0]!.context.map((f) => f.id)).toEqual([1, 2, 3, 4]);
    // Facts 1–4, 6, 7, 9, 10, 12, 13, 15, 16: questions are not part of the context.
    expect(examples[4]!.context.map((f) => f.id)).toEqual([
      1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16,
    ]);
    expect(examples[4]!.answer).toBe('football,apple');
  });

  it('names the file and line of malformed input', async () => {
    const cases: [string, RegExp][] = [
      [
        '1 A fact.\n3 Skipped two.\n',
        /bad\.txt:2: expected line id 2 \(or 1 to start a story\), found 3/,
      ],
      ['2 Starts at two.\n', /bad\.txt:1: expected line id 1/],
      ['Mary went home.\n', /bad\.txt:1: expected 'ID text' with a numeric id/],
      ['1 Mary went home.\n2 Where is Mary?\t\t1\n', /bad\.txt:2: question without an answer/],
      [
        '1 Mary went home.\n2 Where is Mary?\thome\t5\n',
        /bad\.txt:2: supporting id '5' is not a fact/,
      ],
      ['1 Mary went home.\n2 Where? \thome\t2\n', /supporting id '2'/],
      ['1 Mary went home.\n2 Where?\thome\tx\n', /supporting id 'x'/],
      ['1 Mary went home.\n2  \t\n', /bad\.txt:2: empty question/],
      ['1 Where is Mary?\thome\t\n', /bad\.txt:1: a question before any fact of its story/],
      [
        '1 Mary went home.\n2 Where?\thome\t1\n1 Where is John?\tpark\t\n',
        /bad\.txt:3: a question before any fact/,
      ],
    ];
    for (const [content, message] of cases) {
      const error = await collect(readBabiStories(tempFile('bad.txt', content))).catch((e) => e);
      expect(error, content).toBeInstanceOf(DataError);
      expect(error.message).toMatch(message);
    }
  });
});
