/**
 * Trains and evaluates the speech task end to end, as `s2s train speech --data DIR` then
 * `s2s eval` will once the CLI lands: reads the folder, holds out the dev speaker, fits the
 * pipeline, trains with per-epoch dev word accuracy (greedy decoding), keeps the best epoch,
 * then scores the dev speaker with the task's default search and prints WER, CER and times.
 *
 *   node dist/scripts/train-fsdd.js --data /work/shared/data/speech/fsdd [--config c.json]
 *     [--epochs N] [--out DIR] [--limit N] [--backend wasm|cpu|auto]
 */
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type BackendChoice,
  type ComponentConfig,
  registry,
  type SearchStrategy,
  Seq2Seq,
  saveModel,
  type TaskExample,
  type TaskPipeline,
  type TaskSettings,
  Trainer,
  useBackend,
} from '@s2s/core';
import { speechTask } from '@s2s/task-speech';
import * as tf from '@tensorflow/tfjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    config: { type: 'string' },
    epochs: { type: 'string' },
    out: { type: 'string' },
    limit: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
if (!values.data) throw new Error('--data DIR is required');

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const backend = await useBackend(values.backend as BackendChoice);
let settings: TaskSettings = speechTask.defaults;
if (values.config) settings = merge(settings, JSON.parse(await readFile(values.config, 'utf8')));
if (values.epochs) settings = merge(settings, { training: { epochs: Number(values.epochs) } });
console.log(`backend ${backend.name}; settings ${JSON.stringify(settings)}`);

const examples: TaskExample[] = [];
for await (const e of speechTask.read(values.data, settings)) examples.push(e);
const split = speechTask.split!(examples, settings);
const limit = values.limit ? Number(values.limit) : Infinity;
const train = split.train.slice(0, limit);
const dev = split.dev.slice(0, limit);
const pipeline = await speechTask.fit(train, settings);
const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
const t = settings.training;
// As the CLI does: the loop's own keys stay here, every other key goes to the Trainer.
const loopKeys = ['epochs', 'batchSize', 'maxTokens', 'devFraction', 'seed', 'patience'];
const trainerOptions = Object.fromEntries(
  Object.entries(t).filter(([key]) => !loopKeys.includes(key)),
);
const trainer = new Trainer(model, { ...trainerOptions, seed: t.seed ?? 0 });
const batching = { batchSize: t.batchSize ?? 32, seed: t.seed ?? 0 };
const trainBatches = pipeline.batches(train, { ...batching, shuffle: true });
const devBatches = pipeline.batches(dev, { ...batching, shuffle: false });
console.log(
  `${train.length} training utterances, ${dev.length} dev; ${[...model.parameters().values()].reduce((n, v) => n + v.size, 0)} parameters; ready after ${seconds()} s`,
);

const greedy = strategy({ name: 'greedy' });
const fitted = await trainer.fit(trainBatches, {
  epochs: t.epochs ?? 10,
  validation: devBatches,
  metric: {
    name: 'dev word accuracy (greedy)',
    evaluate: async (m) => (await score(m, pipeline, dev, greedy, 16)).scores.word_accuracy!,
  },
  monitor: 'metric',
  ...(typeof t.patience === 'number' ? { earlyStopping: { patience: t.patience } } : {}),
  onEpoch: (e) =>
    console.log(
      `epoch ${e.epoch + 1}: train loss ${e.trainLoss?.toFixed(4)}, dev loss ${e.validation?.loss?.toFixed(4)}, dev word accuracy ${e.validation?.metric?.toFixed(4)}${e.improved ? ' *' : ''} (${seconds()} s)`,
    ),
});
const trained = seconds();
const { maxLength, ...searchConfig } = settings.search;
const final = await score(model, pipeline, dev, strategy(searchConfig), maxLength ?? 16);
console.log(
  JSON.stringify({
    stopReason: fitted.stopReason,
    best: fitted.best,
    search: settings.search,
    ...final.scores,
    trainSeconds: Number(trained),
    totalSeconds: Number(seconds()),
  }),
);
for (let i = 0; i < Math.min(8, dev.length); i++) {
  console.log(`  ${dev[i]!.references[0]}  →  ${final.outputs[i]}`);
}
if (values.out) {
  await saveModel(values.out, model, { metadata: { pipeline: pipeline.toJSON(), settings } });
  console.log(`model saved in ${values.out}`);
}
trainer.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);

function strategy(config: ComponentConfig): SearchStrategy {
  return registry.create('search', config, {});
}

async function score(
  m: Seq2Seq,
  p: TaskPipeline,
  set: readonly TaskExample[],
  search: SearchStrategy,
  maxLength: number,
) {
  const outputs: string[] = [];
  for (let i = 0; i < set.length; i += 50) {
    const encoded = p.encode(set.slice(i, i + 50).map((e) => e.input));
    const results = await m.generate(encoded.source, encoded.mask, search, {
      maxLength,
      alignments: false,
    });
    tf.dispose([encoded.source, encoded.mask]);
    results.forEach((hyps, row) => outputs.push(p.decode(hyps[0]!, row, encoded).text));
  }
  return { outputs, ...p.evaluate(outputs, set) };
}

function merge<T>(base: T, override: unknown): T {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(override))
    return (override === undefined ? base : override) as T;
  if ('name' in override && override.name !== base.name) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = merge(base[k], v);
  return out as T;
}
