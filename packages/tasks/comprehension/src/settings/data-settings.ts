import { parseOptions, type TaskSettings } from '@s2s/core';
import { z } from 'zod';

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

/**
 * The comprehension task's `data` block as a schema, defaults filled in: what
 * {@link dataSettings} checks, and what a `--config` file's `data` may hold for this task.
 */
export const comprehensionDataSchema = z
  .strictObject({
    tasks: z
      .union([z.literal('all'), z.array(z.int().min(1).max(20)).min(1)])
      .optional()
      .describe(
        "bAbI task numbers (1–20) read from a folder, or 'all'. Default: every task file there",
      ),
    maxSentences: z
      .int()
      .positive()
      .default(dataDefaults.maxSentences)
      .describe('The model reads only the last N sentences of a story (memory networks use 50)'),
    question: z
      .enum(['sentence', 'words'])
      .default(dataDefaults.question)
      .describe(
        "How the question reaches the model: 'sentence' ([B, 1, W], for a sentence encoder) or 'words' ([B, L], for a token encoder)",
      ),
  })
  .describe('The comprehension task: which bAbI tasks, story length, question shape');

/** Validates `settings.data`, naming the bad key by its path (`data.maxSentences`). */
export function dataSettings(settings: TaskSettings): ComprehensionData {
  const { tasks, ...rest } = parseOptions(
    'comprehension settings',
    comprehensionDataSchema,
    settings.data ?? {},
    'data',
  );
  return { ...(Array.isArray(tasks) ? { tasks } : {}), ...rest };
}
