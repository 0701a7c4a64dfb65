/**
 * Trains and scores the comprehension task on bAbI, jointly over the tasks or one model
 * per task, and prints a per-task accuracy table (the one in the README):
 *
 *   npm run benchmark -w @s2s/task-comprehension -- --data DIR [--tasks 1,2] [--per-task]
 *     [--epochs N] [--config settings.json] [--out results.json]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type TaskScores, type TaskSettings, useBackend } from '@s2s/core';
import '../register.js';
import { PASS_ACCURACY } from '../pipeline/answer-scores.js';
import { comprehensionDefaults } from '../task/defaults.js';
import { type BenchmarkResult, runBabiBenchmark } from './babi-benchmark.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    tasks: { type: 'string' },
    'per-task': { type: 'boolean', default: false },
    epochs: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    patience: { type: 'string' },
  },
});
if (!values.data) throw new Error('usage: main.js --data BABI_FOLDER [--tasks 1,2] [--per-task]');
await useBackend('wasm');

const override = values.config ? JSON.parse(await readFile(values.config, 'utf8')) : {};
const tasks = values.tasks?.split(',').map(Number) ?? Array.from({ length: 20 }, (_, i) => i + 1);
const base = merge(comprehensionDefaults, override) as TaskSettings;
const withTasks = (list: number[], settings: TaskSettings): TaskSettings => ({
  ...settings,
  data: { ...settings.data, tasks: list },
  training: {
    ...settings.training,
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  },
});
const run = (settings: TaskSettings) =>
  runBabiBenchmark({
    data: values.data!,
    settings,
    log: (line) => process.stderr.write(`${line}\n`),
    ...(values.patience ? { patience: Number(values.patience) } : {}),
  });

const results: { tasks: number[]; result: BenchmarkResult }[] = [];
for (const group of values['per-task'] ? tasks.map((t) => [t]) : [tasks]) {
  process.stderr.write(`== tasks ${group.join(', ')}\n`);
  results.push({ tasks: group, result: await run(withTasks(group, base)) });
}
const accuracy = new Map<number, number>();
for (const { tasks: group, result } of results) {
  for (const t of group) accuracy.set(t, score(result.dev, t));
}
const rows = tasks.map((t) => `| ${t} | ${accuracy.get(t)!.toFixed(1)} |`);
const mean = tasks.reduce((s, t) => s + accuracy.get(t)!, 0) / tasks.length;
const passed = tasks.filter((t) => accuracy.get(t)! >= PASS_ACCURACY).length;
const seconds = results.reduce((s, r) => s + r.result.seconds, 0);
process.stdout.write(
  `| task | dev accuracy (%) |\n| --- | --- |\n${rows.join('\n')}\n` +
    `| mean | ${mean.toFixed(1)} |\n\n` +
    `tasks passed (≥ 95%): ${passed} of ${tasks.length}; training time ${(seconds / 60).toFixed(1)} min\n`,
);
if (values.out) {
  await writeFile(values.out, `${JSON.stringify({ settings: base, results }, null, 2)}\n`);
}

function score(scores: TaskScores, task: number): number {
  return scores.scores[`task_${task}`] ?? scores.scores.accuracy ?? 0;
}

function merge(a: unknown, b: unknown): unknown {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return b ?? a;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return b ?? a;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
  return out;
}
