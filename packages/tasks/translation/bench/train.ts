/**
 * Trains the translation preset end to end and reports dev BLEU, timing every phase. Run
 * by hand (wrap runs over two minutes in `flock /work/train.lock …` on the shared machine):
 *
 *   npm run bench:train -w @s2s/task-translation -- \
 *     --data /work/shared/data/translation/eng-fra.tsv --minutes 60 --out runs/translation
 *
 * `--config FILE` overrides settings key by key (`{ "training": { "epochs": 3 } }`).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  countParameters,
  mergeSettings,
  Seq2Seq,
  type TaskExample,
  TaskModel,
  Trainer,
  type TrainerOptions,
  useBackend,
} from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { readLines } from '@s2s/data/node';
import { translationTask } from '@s2s/task-translation';
import { samplePath } from '@s2s/task-translation/node';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: samplePath },
    config: { type: 'string' },
    minutes: { type: 'string' },
    out: { type: 'string', default: 'runs/translation' },
    backend: { type: 'string', default: 'auto' },
  },
});

const started = performance.now();
const clock = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s`;
const backend = await useBackend(args.backend as 'auto');
const settings = mergeSettings(
  translationTask.defaults,
  args.config ? JSON.parse(readFileSync(args.config, 'utf8')) : {},
);
console.log(`backend ${backend.description}; settings ${JSON.stringify(settings)}`);

const all: TaskExample[] = [];
for await (const example of translationTask.read(args.data, settings, { readLines }))
  all.push(example);
const { train, dev } = translationTask.split(all, settings);
const pipeline = await translationTask.fit(train, settings);
console.log(
  `${clock()} read ${all.length} pairs from ${args.data}; train ${train.length} pairs, dev ${dev.length} sentences (${dev.reduce((n, e) => n + e.references.length, 0)} references); vocabularies ${pipeline.source.size} / ${pipeline.target.size}`,
);

const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
const { epochs = 10, batchSize = 64, maxTokens, seed = 1, ...rest } = settings.training;
const { devFraction: _devFraction, ...trainerOptions } = rest;
const trainer = new Trainer(model, { seed, ...trainerOptions } as TrainerOptions);
const batches = pipeline.batches(train, {
  batchSize,
  seed,
  shuffle: true,
  ...(maxTokens === undefined ? {} : { maxTokens }),
});
const validation = pipeline.batches(dev, { batchSize, seed, shuffle: false });
console.log(
  `${clock()} model ${countParameters(model).toLocaleString('en')} parameters, ${batches.length} batches per epoch`,
);

const trainingStarted = performance.now();
const result = await trainer.fit(batches, {
  epochs,
  validation,
  ...(args.minutes ? { signal: AbortSignal.timeout(Number(args.minutes) * 60_000) } : {}),
  onStep: (e) => {
    if (e.step % 50 === 0) {
      console.log(
        `${clock()} epoch ${e.epoch + 1} batch ${e.batch}/${e.batches ?? '?'} loss ${e.loss.toFixed(3)} lr ${e.learningRate.toExponential(2)} ${e.tokensPerSecond.toFixed(0)} tok/s`,
      );
    }
  },
  onEpoch: (e) =>
    console.log(
      `${clock()} epoch ${e.epoch + 1} done: train loss ${e.trainLoss?.toFixed(3)}, dev loss ${e.validation?.loss?.toFixed(3)}`,
    ),
});
const trainingSeconds = (performance.now() - trainingStarted) / 1000;
console.log(
  `${clock()} training stopped (${result.stopReason}) after ${result.progress.step} steps, ${(trainingSeconds / 60).toFixed(1)} min`,
);

// The same object `s2s decode` and `s2s eval` open, so the saved model works with both.
const taskModel = new TaskModel({ model, task: translationTask, settings, pipeline });
const search = taskModel.search();
const decodeStarted = performance.now();
const outputs = await taskModel.decodeBest(
  dev.map((e) => e.input),
  { batchSize: 64 },
);
const scores = pipeline.evaluate(outputs, dev);
const firstOnly = pipeline.evaluate(
  outputs,
  dev.map((e) => ({ input: e.input, references: e.references.slice(0, 1) })),
);
console.log(
  `${clock()} decoded ${dev.length} dev sentences with ${search.strategy.name} in ${((performance.now() - decodeStarted) / 1000).toFixed(0)} s`,
);
for (let i = 0; i < 8; i++) console.log(`  ${dev[i]!.input}  →  ${outputs[i]}`);
console.log(
  `dev BLEU ${scores.scores.bleu!.toFixed(2)} (${scores.signature}), chrF2 ${scores.scores.chrf!.toFixed(2)}; against first references only: BLEU ${firstOnly.scores.bleu!.toFixed(2)} (${firstOnly.signature})`,
);

const dir = resolve(join(args.out, 'model'));
await taskModel.save(modelFolder(dir), {
  metadata: { result: { scores, firstOnly, trainingSeconds, steps: result.progress.step } },
});
console.log(`saved to ${dir}; s2s decode ${dir} translates with it`);
taskModel.dispose();
trainer.dispose();
