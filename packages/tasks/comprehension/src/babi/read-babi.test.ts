import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type TaskExample, type TaskReadOptions } from '@s2s/core';
import { DataError } from '@s2s/data';
import { nodeReadOptions } from '@s2s/data/node';
import { describe, expect, it } from 'vitest';
import { parseStoryInput } from '../input/story-input.js';
import { babiSamplePath } from '../node/sample.js';
import { comprehensionTask } from '../task/comprehension-task.js';
import { comprehensionDefaults } from '../task/defaults.js';
import { babiTaskOf } from './read-babi.js';

async function readAll(path: string, tasks?: number[]): Promise<TaskExample[]> {
  const settings = {
    ...comprehensionDefaults,
    data: { ...comprehensionDefaults.data, ...(tasks ? { tasks } : {}) },
  };
  const out: TaskExample[] = [];
  for await (const e of comprehensionTask.read(path, settings, nodeReadOptions)) out.push(e);
  return out;
}

describe('reading bAbI through the task', () => {
  it('reads every task file of a folder in task order, one example per question', async () => {
    const examples = await readAll(babiSamplePath);
    expect(examples.map(babiTaskOf).filter((t, i, all) => all.indexOf(t) === i)).toEqual([
      1, 2, 8, 19,
    ]);
    // Task 1's sixty stories have five questions each; task 19's three stories one each.
    expect(examples.filter((e) => babiTaskOf(e) === 1)).toHaveLength(300);
    expect(examples.filter((e) => babiTaskOf(e) === 19)).toHaveLength(3);
  });

  it('gives each question the facts told before it, across question lines, and its support', async () => {
    const examples = await readAll(babiSamplePath, [1]);
    const first = parseStoryInput(examples[0]!.input);
    expect(first).toEqual({
      story: ['Mary moved to the bathroom.', 'John went to the hallway.'],
      question: 'Where is Mary?',
      support: [0],
    });
    expect(examples[0]!.references).toEqual(['bathroom']);
    expect(examples[0]!.origin).toMatch(/qa1_single-supporting-fact_train\.txt:3$/);
    // Question 3 of the first story (line 9) sees the six facts, not the two questions.
    const third = parseStoryInput(examples[2]!.input);
    expect(third.story).toHaveLength(6);
    expect(third.story.at(-1)).toBe('Sandra journeyed to the bathroom.');
    expect(third.question).toBe('Where is Daniel?');
    expect(examples[2]!.origin).toMatch(/:9$/);
    // The second story starts afresh.
    expect(parseStoryInput(examples[5]!.input).story[0]).toBe('Sandra travelled to the office.');
  });

  it('keeps list and path answers whole, with every supporting fact in the given order', async () => {
    const lists = await readAll(babiSamplePath, [8]);
    const list = lists.find((e) => e.references[0] === 'football,apple')!;
    const input = parseStoryInput(list.input);
    // Facts 7 and 10 of that story: the football, then the apple.
    expect(input.support!.map((i) => input.story[i])).toEqual([
      'Mary grabbed the football there.',
      'Mary took the apple there.',
    ]);
    const paths = await readAll(babiSamplePath, [19]);
    expect(paths.map((e) => e.references[0])).toEqual(['s,e', 'n,w', 'n,n']);
    expect(parseStoryInput(paths[0]!.input).support).toEqual([1, 3]);
  });

  it('reads a single task file, and fails naming file and line on malformed data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'babi-'));
    const good = join(dir, 'qa5_three-arg-relations_test.txt');
    await writeFile(good, '1 Bill gave Fred the milk.\n2 Who has the milk?\tFred\t1\n');
    const examples = await readAll(good);
    expect(examples).toHaveLength(1);
    expect(babiTaskOf(examples[0]!)).toBe(5);
    const bad = join(dir, 'qa6_yes-no-questions_train.txt');
    await writeFile(bad, '1 Mary went home.\n2 Is Mary home?\tyes\t7\n');
    await expect(readAll(bad)).rejects.toThrow(DataError);
    await expect(readAll(bad)).rejects.toThrow(
      /qa6_yes-no-questions_train\.txt:2: supporting id '7'/,
    );
    await expect(readAll(dir, [3])).rejects.toThrow(/no bAbI task files .* for tasks 3/);
    await expect(readAll(join(dir, 'missing'))).rejects.toThrow(/no such file or folder/);
  });

  it('reads through the file access it is given, and names what is missing', async () => {
    const read = (options: TaskReadOptions) =>
      comprehensionTask
        .read('stories', comprehensionDefaults, options)
        [Symbol.asyncIterator]()
        .next();
    await expect(read({})).rejects.toThrow(ConfigError);
    await expect(read({})).rejects.toThrow(/needs options\.readLines.*'@s2s\/data\/node'/);
    const lines = ['1 Ann went to the hall.', '2 Where is Ann?\thall\t1'];
    async function* readLines() {
      for (const [i, text] of lines.entries()) yield { text, number: i + 1 };
    }
    await expect(read({ readLines })).rejects.toThrow(/needs options\.pathKind/);
    const folder = { readLines, pathKind: async () => 'folder' as const };
    await expect(read(folder)).rejects.toThrow(/needs options\.listFolder/);
    // A folder in memory: only the qaN files are read, in task order, joined with '/'.
    const listFolder = async () => ['notes.txt', 'qa2_b_train.txt', 'qa1_a_train.txt'];
    const examples: TaskExample[] = [];
    for await (const e of comprehensionTask.read('stories', comprehensionDefaults, {
      ...folder,
      listFolder,
    }))
      examples.push(e);
    expect(examples.map((e) => e.origin)).toEqual([
      'stories/qa1_a_train.txt:2',
      'stories/qa2_b_train.txt:2',
    ]);
    expect(examples.map(babiTaskOf)).toEqual([1, 2]);
    expect(parseStoryInput(examples[0]!.input)).toEqual({
      story: ['Ann went to the hall.'],
      question: 'Where is Ann?',
      support: [0],
    });
  });
});
