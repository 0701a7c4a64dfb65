/**
 * Scores the baselines on the dev split `s2s train` holds out (same seed, same fraction),
 * so they sit beside the model's dev ROUGE in the training log, or on a test file whole:
 *
 *   node dist/bin/baselines.js --data FILE [--task summarization|summarization-headline]
 *     [--test FILE] [--dev-out FILE]
 *
 * Rows: lead-1 and lead-3; for summaries also lead-k with k chosen on the dev split
 * (ROUGE-2), the proportional lead (leading sentences up to the training references' mean
 * share of the article's words), the greedy ROUGE oracle (the ceiling of extraction) and
 * the share of reference sentences taken word for word from the article. With `--test`,
 * everything chosen or learned comes from `--data` (k from its dev split, the share from
 * its training split) and every article of the test file is scored. `--dev-out` writes the
 * dev split's records, as the file holds them, to a JSON Lines file for `s2s eval`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { TaskExample, TaskPipeline } from '@s2s/core';
import { readLines } from '@s2s/data/node';
import '../register.js';
import {
  extractiveShare,
  oracleSummary,
  proportionalLead,
} from '../baseline/extractive-baselines.js';
import { lead } from '../baseline/lead.js';
import { referenceShare } from '../extractive/budget.js';
import { splitDev } from '../report/split-dev.js';
import { dataSettings } from '../task/data-settings.js';
import { headlineTask, summarizationTask } from '../task/summarization-task.js';

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string' },
    task: { type: 'string', default: 'summarization' },
    test: { type: 'string' },
    'dev-out': { type: 'string' },
  },
});
if (!flags.data) throw new Error('baselines: --data FILE is required');
const task = flags.task === 'summarization-headline' ? headlineTask : summarizationTask;
const settings = task.defaults;
const read = async (path: string) => {
  const out: TaskExample[] = [];
  for await (const e of task.read(path, settings, { readLines })) out.push(e);
  return out;
};
const examples = await read(flags.data);
const { train, dev } = splitDev(examples, settings);
const scored = flags.test ? await read(flags.test) : dev;
const where = flags.test
  ? `all ${scored.length} articles of ${flags.test}`
  : `${dev.length} dev articles of ${examples.length}`;
const pipeline = await task.fit(train, settings);

const row = (name: string, outputs: readonly string[], on = scored) => {
  const { scores, signature } = pipeline.evaluate(outputs, on);
  const cells = ['rouge1', 'rouge2', 'rougeL'].map((k) => scores[k]!.toFixed(2));
  process.stdout.write(
    `${name} on ${where}: ROUGE-1 ${cells[0]}, ROUGE-2 ${cells[1]}, ROUGE-L ${cells[2]} (F1, ${signature})\n`,
  );
  return scores;
};
const leadK = (on: readonly TaskExample[], k: number) => on.map((e) => lead(e.input, k));

row('lead-1', leadK(scored, 1));
if (dataSettings(settings).target === 'summary') {
  row('lead-3', leadK(scored, 3));
  const k = bestK(pipeline, dev);
  row(`lead-${k} (k chosen on the dev split)`, leadK(scored, k));
  const share = referenceShare(train);
  row(
    `proportional lead (${(100 * share).toFixed(1)}% of the words, the training references' mean share)`,
    scored.map((e) => proportionalLead(e.input, share)),
  );
  row(
    'greedy ROUGE oracle',
    scored.map((e) => oracleSummary(e)),
  );
  process.stdout.write(
    `reference sentences found word for word in their article: ${(100 * extractiveShare(scored)).toFixed(1)}%\n`,
  );
}
if (flags['dev-out']) {
  // The dev records exactly as the file holds them, found by the line in each origin.
  const lines = (await readFile(flags.data, 'utf8')).split('\n');
  const held = dev.map((e) => lines[Number(e.origin!.slice(e.origin!.lastIndexOf(':') + 1)) - 1]);
  await writeFile(flags['dev-out'], `${held.join('\n')}\n`);
}

/** The k in 1…50 whose lead-k scores the best ROUGE-2 on the dev split. */
function bestK(p: TaskPipeline, on: readonly TaskExample[]): number {
  let best = { k: 1, score: -1 };
  for (let k = 1; k <= 50; k++) {
    const score = p.evaluate(leadK(on, k), on).scores.rouge2!;
    if (score > best.score) best = { k, score };
  }
  return best.k;
}
