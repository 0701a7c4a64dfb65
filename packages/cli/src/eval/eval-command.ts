import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TaskExample, TaskScores } from '@s2s/core';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { getTask, openModel, withOrigins } from '../model/open-model.js';
import { chooseSearch, type SearchFlags } from '../search/search-flags.js';
import { readConfigFile } from '../setup/settings.js';
import { readExamples } from '../train/read-examples.js';
import { formatScore } from './format-score.js';

/** Flags of `s2s eval`. */
export interface EvalFlags extends SearchFlags {
  readonly data: string;
  /** A JSON file whose `data` and `search` sections override the saved settings. */
  readonly config?: string;
  readonly json?: boolean;
  readonly batchSize: number;
  /** Score the examples the task leaves out of training too (too long, say). */
  readonly all?: boolean;
  /** Score examples with the same input once, against all their references. */
  readonly mergeReferences?: boolean;
}

/** `s2s eval <model> --data PATH`: the task's metrics of the model on a file. */
export async function evalCommand(modelPath: string, flags: EvalFlags, io: CliIO): Promise<void> {
  const data = resolve(io.cwd, flags.data);
  if (!existsSync(data)) throw new CliError(`data ${flags.data} does not exist`);
  const override = flags.config ? await readConfigFile(resolve(io.cwd, flags.config)) : {};
  const fixed = (['model', 'training'] as const).filter((key) => key in override);
  if (fixed.length > 0) {
    throw new CliError(
      `config file ${flags.config}: eval takes only 'data' and 'search'; '${fixed.join("', '")}' belong to training`,
    );
  }
  const opened = await openModel(resolve(io.cwd, modelPath), modelPath, io);
  try {
    // Data settings that shape inputs apply too: the pipeline is restored with them.
    const model = opened.model.withSettings(override);
    const search = chooseSearch(model.settings.search, flags).settings;
    const skipped = new Map<string, number>();
    const read = await readExamples(getTask(model.task), data, flags.data, model.settings, {
      keepAll: flags.all ?? false,
      onSkip: (_origin, reason) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1),
    });
    const examples = flags.mergeReferences ? mergeReferences(read) : read;
    const result = await withOrigins(
      examples.map((e, i) => e.origin ?? `example ${i + 1}`),
      () => model.evaluate(examples, { search, batchSize: flags.batchSize }),
    );
    const skips = [...skipped.values()].reduce((a, b) => a + b, 0);
    io.stdout.write(
      flags.json
        ? `${JSON.stringify({ task: model.task, examples: examples.length, ...(skips ? { skipped: skips } : {}), ...result })}\n`
        : formatScores(result, examples.length),
    );
    // Never drop examples silently: say how many, why, and how to keep them.
    for (const [reason, count] of skipped) {
      io.stderr.write(
        `s2s: ${count} of ${count + read.length} examples not scored: ${reason}, as in training; --all scores them too\n`,
      );
    }
  } finally {
    opened.model.dispose();
  }
}

/**
 * Examples that share an input become one, with every reference of each in first-seen
 * order (duplicates once): a multi-reference test set written one pair per line.
 */
export function mergeReferences(examples: readonly TaskExample[]): TaskExample[] {
  const byInput = new Map<string, { example: TaskExample; references: string[] }>();
  for (const e of examples) {
    const seen = byInput.get(e.input);
    if (!seen) byInput.set(e.input, { example: e, references: [...e.references] });
    else for (const r of e.references) if (!seen.references.includes(r)) seen.references.push(r);
  }
  return [...byInput.values()].map(({ example, references }) => ({ ...example, references }));
}

/** Scores as aligned `name value` lines, the primary one marked. */
export function formatScores(result: TaskScores, examples: number): string {
  const names = Object.keys(result.scores);
  const width = Math.max(
    ...[...names, 'examples', ...(result.signature ? ['signature'] : [])].map((n) => n.length),
  );
  const lines = names.map(
    (n) =>
      `${n.padEnd(width)}  ${formatScore(result.scores[n]!)}${n === result.primary ? '  (primary)' : ''}`,
  );
  lines.push(`${'examples'.padEnd(width)}  ${examples}`);
  if (result.signature) lines.push(`${'signature'.padEnd(width)}  ${result.signature}`);
  return `${lines.join('\n')}\n`;
}
