/**
 * Scores the lead baselines on the dev split `s2s train` holds out (same seed, same
 * fraction), so they sit beside the model's dev ROUGE in the training log:
 *
 *   node dist/bin/baselines.js --data FILE [--task summarization|summarization-headline]
 *     [--dev-out FILE]
 *
 * `--dev-out` writes the dev split's records, as the file holds them, to a JSON Lines file
 * for `s2s eval MODEL --data FILE`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { TaskExample } from '@s2s/core';
import '../register.js';
import { LEAD_SENTENCES, leadBaseline } from '../baseline/lead.js';
import { splitDev } from '../report/decode-examples.js';
import { dataSettings } from '../task/data-settings.js';
import { headlineTask, summarizationTask } from '../task/summarization-task.js';

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string' },
    task: { type: 'string', default: 'summarization' },
    'dev-out': { type: 'string' },
  },
});
if (!flags.data) throw new Error('baselines: --data FILE is required');
const task = flags.task === 'summarization-headline' ? headlineTask : summarizationTask;
const settings = task.defaults;
const examples: TaskExample[] = [];
for await (const e of task.read(flags.data, settings)) examples.push(e);
const { train, dev } = splitDev(examples, settings);
const target = dataSettings(settings).target;
const pipeline = await task.fit(train, settings);
const { scores, signature } = pipeline.evaluate(leadBaseline(dev, target), dev);
const cells = ['rouge1', 'rouge2', 'rougeL'].map((k) => (100 * scores[k]!).toFixed(2));
process.stdout.write(
  `lead-${LEAD_SENTENCES[target]} on ${dev.length} dev articles of ${examples.length}: ROUGE-1 ${cells[0]}, ROUGE-2 ${cells[1]}, ROUGE-L ${cells[2]} (F1, ${signature})\n`,
);
if (flags['dev-out']) {
  // The dev records exactly as the file holds them, found by the line in each origin.
  const lines = (await readFile(flags.data, 'utf8')).split('\n');
  const held = dev.map((e) => lines[Number(e.origin!.slice(e.origin!.lastIndexOf(':') + 1)) - 1]);
  await writeFile(flags['dev-out'], `${held.join('\n')}\n`);
}
