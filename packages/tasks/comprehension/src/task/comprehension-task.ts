import type { Task, TaskReadOptions, TaskSettings } from '@s2s/core';
import { readBabi } from '../babi/read-babi.js';
import { splitByStory } from '../babi/story-split.js';
import { ComprehensionPipeline } from '../pipeline/comprehension-pipeline.js';
import { comprehensionDataSchema, dataSettings } from '../settings/data-settings.js';
import { comprehensionDefaults } from './defaults.js';

/** The name the task registers under: `s2s train comprehension --data DIR`. */
export const COMPREHENSION = 'comprehension';

/**
 * Reading comprehension on bAbI (Weston et al. 2015): read a story and a question, answer
 * with a word, a list (`apple,football`) or a path (`n,w`). Data is a bAbI task file or a
 * folder of them (`data.tasks` picks tasks; all by default, one model over every task). A
 * decode input is one JSON line, `{"story": ["…", …], "question": "…"}`. The held-out set
 * is whole stories, `training.devFraction` of each task.
 */
export const comprehensionTask: Task & {
  /** The schema of `settings.data`, for a config file's `data` block. */
  readonly dataSchema: typeof comprehensionDataSchema;
} = {
  name: COMPREHENSION,
  description: 'reading comprehension (bAbI): a story and a question in, a word, list or path out',
  defaults: comprehensionDefaults,
  dataSchema: comprehensionDataSchema,
  /**
   * Reads through `options` (`nodeReadOptions` from `@s2s/data/node` in Node): `readLines`,
   * and `pathKind` and `listFolder` for folders.
   */
  read(path: string, settings: TaskSettings, options?: TaskReadOptions) {
    return readBabi(path, options ?? {}, dataSettings(settings).tasks);
  },
  split(examples, settings) {
    return splitByStory(
      examples,
      settings.training.devFraction ?? 0.1,
      settings.training.seed ?? 0,
    );
  },
  async fit(examples, settings) {
    return ComprehensionPipeline.fit(examples, dataSettings(settings));
  },
  restore(json, settings) {
    return ComprehensionPipeline.fromJSON(json, dataSettings(settings));
  },
};
