import { ConfigError, knownOptions, oneOf, positiveInt, type TaskSettings } from '@s2s/core';

/**
 * How the question reaches the model: `sentence`, `[B, 1, W]` word ids with a `[B, 1]`
 * mask, for a sentence encoder such as `hierarchical`; `words`, `[B, L]` ids with a
 * `[B, L]` mask, for a token encoder such as `lstm`.
 */
export type QuestionShape = 'sentence' | 'words';

/** The task's `data` settings, validated. */
export interface ComprehensionData {
  /** bAbI task numbers read from a folder; undefined: every task file there. */
  readonly tasks?: readonly number[];
  /** The model reads only the last N sentences of a story (memory networks use 50). */
  readonly maxSentences: number;
  readonly question: QuestionShape;
}

/** Defaults of {@link ComprehensionData}. */
export const dataDefaults = { maxSentences: 50, question: 'sentence' } as const;

/** Validates `settings.data`, naming the bad key. */
export function dataSettings(settings: TaskSettings): ComprehensionData {
  const owner = 'comprehension data settings';
  const data = settings.data ?? {};
  knownOptions(owner, data, ['tasks', 'maxSentences', 'question']);
  const tasks = data.tasks;
  if (
    tasks !== undefined &&
    tasks !== 'all' &&
    (!Array.isArray(tasks) ||
      tasks.length === 0 ||
      tasks.some((t) => !Number.isInteger(t) || t < 1 || t > 20))
  ) {
    throw new ConfigError(
      `${owner}: option 'tasks' must be 'all' or a non-empty list of bAbI task numbers 1–20, got ${JSON.stringify(tasks)}`,
    );
  }
  return {
    ...(Array.isArray(tasks) ? { tasks: tasks as number[] } : {}),
    maxSentences: positiveInt(
      owner,
      'maxSentences',
      data.maxSentences ?? dataDefaults.maxSentences,
    ),
    question: oneOf(owner, 'question', data.question ?? dataDefaults.question, [
      'sentence',
      'words',
    ]),
  };
}
