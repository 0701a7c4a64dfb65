import { deriveSeed, parseOptions, Rng, type TaskExample, type TaskSplit } from '@s2s/core';
import { z } from 'zod';
import { parseStoryInput } from '../input/story-input.js';
import { babiTaskOf } from './read-babi.js';

const devFraction = z.number().min(0).lt(1);

/**
 * Holds out whole stories, `fraction` of each task's questions (rounded to whole stories),
 * chosen by a generator seeded from `seed` and the task. Questions of one story share its
 * facts, so splitting by question would let the dev set peek at training stories; splitting
 * by story per task keeps every task equally represented in both halves.
 *
 * A story is a run of consecutive examples from one file, each one's story extending the
 * one before (later questions of a story see every earlier fact).
 */
export function splitByStory(
  examples: readonly TaskExample[],
  fraction: number,
  seed: number,
): TaskSplit {
  parseOptions('comprehension split', devFraction, fraction, 'training.devFraction');
  const byTask = new Map<string, number[][]>();
  let previous: { file: string; story: readonly string[] } | undefined;
  examples.forEach((example, i) => {
    const file = example.origin?.replace(/:\d+$/u, '') ?? '';
    const story = parseStoryInput(example.input).story;
    const task = String(babiTaskOf(example) ?? file);
    const stories = byTask.get(task) ?? [];
    byTask.set(task, stories);
    const continues =
      previous?.file === file &&
      previous.story.length <= story.length &&
      previous.story.every((s, k) => story[k] === s);
    if (continues && stories.length > 0) stories.at(-1)!.push(i);
    else stories.push([i]);
    previous = { file, story };
  });
  const held = new Set<number>();
  for (const [task, stories] of byTask) {
    const total = stories.reduce((n, s) => n + s.length, 0);
    const order = new Rng(deriveSeed(seed, `dev-split/${task}`)).shuffle([...stories.keys()]);
    let count = 0;
    for (const k of order) {
      if (count >= fraction * total) break;
      for (const i of stories[k]!) held.add(i);
      count += stories[k]!.length;
    }
  }
  return {
    train: examples.filter((_, i) => !held.has(i)),
    dev: examples.filter((_, i) => held.has(i)),
  };
}
