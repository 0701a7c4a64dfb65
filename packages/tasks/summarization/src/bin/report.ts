/**
 * Measures the summarization task end to end and prints the README's report: reads the
 * data, holds out the dev split `s2s train` would, scores the lead baseline, fits the
 * pipeline, trains the preset's model, decodes the dev set with the preset's search and
 * scores it. Until the `s2s` CLI can do all of this, this is how the numbers are made:
 *
 *   node dist/bin/report.js --data FILE [--task summarization|summarization-headline]
 *     [--config overrides.json] [--epochs N] [--train-limit N] [--dev-limit N] [--save DIR]
 *     [--json FILE]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  countParameters,
  type EpochEvent,
  Seq2Seq,
  saveModel,
  type TaskExample,
  type TaskSettings,
  Trainer,
  useBackend,
} from '@s2s/core';
import '../register.js';
import { leadBaseline } from '../baseline/lead.js';
import type { SummarizationPipeline } from '../pipeline/summarization-pipeline.js';
import { chooseSearch, decodeExamples, splitDev } from '../report/decode-examples.js';
import { dataSettings } from '../task/data-settings.js';
import { headlineTask, summarizationTask } from '../task/summarization-task.js';

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string' },
    task: { type: 'string', default: 'summarization' },
    config: { type: 'string' },
    epochs: { type: 'string' },
    'dev-limit': { type: 'string' },
    'train-limit': { type: 'string' },
    save: { type: 'string' },
    json: { type: 'string' },
  },
});
if (!flags.data) throw new Error('report: --data FILE is required');
const task = flags.task === 'summarization-headline' ? headlineTask : summarizationTask;
const overrides = flags.config ? JSON.parse(await readFile(flags.config, 'utf8')) : {};
let settings: TaskSettings = merge(task.defaults, overrides);
if (flags.epochs) settings = merge(settings, { training: { epochs: Number(flags.epochs) } });
const backend = await useBackend('auto');
const log = (line: string) => process.stderr.write(`${line}\n`);
log(`report: ${task.name} on ${flags.data}, backend ${backend.name}`);

const examples: TaskExample[] = [];
for await (const e of task.read(flags.data, settings)) examples.push(e);
const whole = splitDev(examples, settings);
const split = flags['train-limit']
  ? { ...whole, train: whole.train.slice(0, Number(flags['train-limit'])) }
  : whole;
const dev = flags['dev-limit'] ? split.dev.slice(0, Number(flags['dev-limit'])) : split.dev;
const target = dataSettings(settings).target;
const pipeline = (await task.fit(split.train, settings)) as SummarizationPipeline;
const lead = pipeline.evaluate(leadBaseline(dev, target), dev);
log(`lead baseline on ${dev.length} dev articles: ${format(lead.scores)}`);

const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
const {
  epochs = 10,
  batchSize = 16,
  maxTokens,
  devFraction: _,
  seed = 0,
  ...trainer
} = settings.training;
const batching = { batchSize, seed, ...(maxTokens ? { maxTokens } : {}) };
const training = new Trainer(model, { ...trainer, seed });
log(
  `training ${countParameters(model)} parameters on ${split.train.length} articles (vocabulary ${pipeline.vocabulary.size}), ${epochs} epochs`,
);
const started = performance.now();
const epochLog: (EpochEvent & { seconds: number })[] = [];
const fit = await training.fit(pipeline.batches(split.train, { ...batching, shuffle: true }), {
  epochs,
  validation: pipeline.batches(dev, { ...batching, shuffle: false }),
  onStep: (e) => {
    if (e.batch % 20 === 0)
      log(`  epoch ${e.epoch + 1} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(3)}`);
  },
  onEpoch: (e) => {
    const seconds = (performance.now() - started) / 1000;
    epochLog.push({ ...e, seconds });
    log(
      `epoch ${e.epoch + 1}: train loss ${e.trainLoss?.toFixed(4)}, dev loss ${e.validation?.loss?.toFixed(4)}, ${seconds.toFixed(0)} s`,
    );
  },
});
const trainSeconds = (performance.now() - started) / 1000;
const search = chooseSearch(settings.search);
const decodeStart = performance.now();
const outputs = await decodeExamples(model, pipeline, search, dev, 16);
const decodeSeconds = (performance.now() - decodeStart) / 1000;
const scores = pipeline.evaluate(outputs, dev);
const words = outputs.reduce((n, o) => n + o.split(/\s+/).length, 0) / outputs.length;

const leadName = target === 'headline' ? 'lead-1' : 'lead-3';
const table = [
  '| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 |',
  '| --- | --- | --- | --- |',
  `| ${leadName} | ${row(lead.scores)} |`,
  `| pointer-generator + coverage | ${row(scores.scores)} |`,
].join('\n');
process.stdout.write(
  `${table}\n\n${dev.length} dev articles; training ${trainSeconds.toFixed(0)} s (${fit.progress.step} steps, ${epochs} epochs, stopped: ${fit.stopReason}); decoding ${decodeSeconds.toFixed(0)} s; mean output ${words.toFixed(1)} words; ${scores.signature}\n`,
);
for (const [i, o] of outputs.slice(0, 3).entries()) log(`sample ${i + 1}: ${o}`);
if (flags.json) {
  await writeFile(
    flags.json,
    `${JSON.stringify({ task: task.name, settings, lead: lead.scores, model: scores.scores, trainSeconds, decodeSeconds, epochs: epochLog, outputs }, null, 1)}\n`,
  );
}
if (flags.save)
  await saveModel(flags.save, model, { metadata: { pipeline: pipeline.toJSON(), settings } });
training.dispose();
model.dispose();

function row(s: Readonly<Record<string, number>>): string {
  return ['rouge1', 'rouge2', 'rougeL'].map((k) => (100 * s[k]!).toFixed(2)).join(' | ');
}

function format(s: Readonly<Record<string, number>>): string {
  return `R-1 ${(100 * s.rouge1!).toFixed(2)}, R-2 ${(100 * s.rouge2!).toFixed(2)}, R-L ${(100 * s.rougeL!).toFixed(2)}`;
}

/** `base` with `over`'s keys replacing its own, recursively through plain objects. */
function merge<T>(base: T, over: unknown): T {
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : v;
  return out as T;
}
