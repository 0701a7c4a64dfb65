import type { TaskExample } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { formatStoryInput } from '../input/story-input.js';
import { babiTaskOf } from './read-babi.js';
import { splitByStory } from './story-split.js';

/** `stories` stories of `questions` questions each, for task `task`, in file order. */
function stories(task: number, count: number, questions: number): TaskExample[] {
  const out: TaskExample[] = [];
  let line = 1;
  for (let s = 0; s < count; s++) {
    const facts: string[] = [];
    for (let q = 0; q < questions; q++) {
      facts.push(`task ${task} story ${s} fact ${q}.`);
      out.push({
        input: formatStoryInput({ story: [...facts], question: `question ${q}?` }),
        references: ['a'],
        origin: `/data/qa${task}_x_train.txt:${line}`,
      });
      line += 2;
    }
  }
  return out;
}

const storyOf = (e: TaskExample) => JSON.parse(e.input).story[0] as string;

describe('splitByStory', () => {
  const examples = [...stories(1, 20, 5), ...stories(2, 10, 3)];

  it('holds out whole stories, about the fraction of each task', () => {
    const { train, dev } = splitByStory(examples, 0.2, 7);
    expect(train.length + dev.length).toBe(examples.length);
    const trainStories = new Set(train.map(storyOf));
    expect(dev.some((e) => trainStories.has(storyOf(e)))).toBe(false);
    expect(dev.filter((e) => babiTaskOf(e) === 1)).toHaveLength(20); // 4 of 20 stories
    expect(dev.filter((e) => babiTaskOf(e) === 2)).toHaveLength(6); // 2 of 10 stories
  });

  it('is a pure function of the seed, and holds out nothing at fraction 0', () => {
    const a = splitByStory(examples, 0.2, 7).dev.map(storyOf);
    expect(splitByStory(examples, 0.2, 7).dev.map(storyOf)).toEqual(a);
    expect(splitByStory(examples, 0.2, 8).dev.map(storyOf)).not.toEqual(a);
    expect(splitByStory(examples, 0, 7).dev).toHaveLength(0);
    expect(() => splitByStory(examples, 1, 7)).toThrow(
      /comprehension split: option 'training\.devFraction': .*<1, got 1/,
    );
  });
});
