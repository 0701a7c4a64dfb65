/**
 * A score as the CLI prints it. Scores are on 0–100 (core's `TaskScores`): two decimals;
 * a count (such as `tasks_passed`) as an integer.
 */
export function formatScore(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
