import { S2SError, type TaskExample, type TaskScores } from '@s2s/core';
import { exactMatch } from '@s2s/metrics';
import { babiTaskOf } from '../babi/read-babi.js';

/** A bAbI task counts as passed at this accuracy (in %) or above (Weston et al. 2015). */
export const PASS_ACCURACY = 95;

/**
 * Scores answers by exact match (SQuAD normalisation: case, punctuation and articles
 * aside, so `apple,football` must name the same items in the same order): `accuracy`
 * over all examples, in % (core's 0–100 convention for scores), and for bAbI examples (told apart by their origin's `qaN_` file)
 * `task_N` per task, `mean_task_accuracy` and `tasks_passed` (tasks at ≥ 95%).
 */
export function answerScores(
  outputs: readonly string[],
  examples: readonly TaskExample[],
): TaskScores {
  if (outputs.length !== examples.length) {
    throw new S2SError(`comprehension: ${outputs.length} outputs for ${examples.length} examples`);
  }
  const byTask = new Map<number, { right: number; total: number }>();
  let right = 0;
  outputs.forEach((output, i) => {
    const example = examples[i]!;
    const hit = exactMatch(output, example.references);
    right += hit;
    const task = babiTaskOf(example);
    if (task === undefined) return;
    const counts = byTask.get(task) ?? { right: 0, total: 0 };
    counts.right += hit;
    counts.total += 1;
    byTask.set(task, counts);
  });
  const scores: Record<string, number> = {
    accuracy: outputs.length ? (100 * right) / outputs.length : 0,
  };
  if (byTask.size > 0) {
    const tasks = [...byTask.entries()].sort(([a], [b]) => a - b);
    const accuracies = tasks.map(([, c]) => (100 * c.right) / c.total);
    for (const [k, [task]] of tasks.entries()) scores[`task_${task}`] = accuracies[k]!;
    scores.mean_task_accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    scores.tasks_passed = accuracies.filter((a) => a >= PASS_ACCURACY).length;
  }
  return { scores, primary: 'accuracy' };
}
