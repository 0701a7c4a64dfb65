/**
 * Decodes the dev split (or a test file) once with an extractive model `s2s train` saved
 * and scores its picks written out in article and in pointer order, with no word budget
 * (the model's `<eos>`) and with the budget learned from the training references:
 *
 *   node dist/bin/extractive-dev.js --model DIR --data FILE [--test FILE]
 *     [--min-length-ratio R]
 *
 * The dev split is the one `s2s train` held out from `--data` (its saved settings' seed and
 * fraction); the model's search settings are used as saved, but for `minLengthRatio` when
 * `--min-length-ratio` is given (0 leaves the length to the model's `<eos>`).
 */
import { parseArgs } from 'node:util';
import { type TaskExample, TaskModel, useBackend } from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { readLines } from '@s2s/data/node';
import '../register.js';
import { referenceShare } from '../extractive/budget.js';
import { ExtractivePipeline } from '../extractive/extractive-pipeline.js';
import { splitDev } from '../report/split-dev.js';
import { summarizationTask } from '../task/summarization-task.js';

const { values: flags } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    test: { type: 'string' },
    'min-length-ratio': { type: 'string' },
  },
});
if (!flags.model || !flags.data) throw new Error('extractive-dev: --model DIR and --data FILE');
await useBackend('wasm');
const loaded = await TaskModel.load(modelFolder(flags.model));
const settings = loaded.settings;
const pipeline = loaded.pipeline;
if (!(pipeline instanceof ExtractivePipeline))
  throw new Error(`extractive-dev: ${flags.model} is not an extractive model`);
const read = async (path: string) => {
  const out: TaskExample[] = [];
  for await (const e of summarizationTask.read(path, settings, { readLines })) out.push(e);
  return out;
};
const { train, dev } = splitDev(await read(flags.data), settings);
const scored = flags.test ? await read(flags.test) : dev;
const ratio = flags['min-length-ratio'];
const search =
  ratio === undefined ? settings.search : { ...settings.search, minLengthRatio: Number(ratio) };

// Decode once; every variant below re-reads the same picks.
const decoded = await loaded.decode(
  scored.map((e) => e.input),
  { search, batchSize: 32 },
);
const picks = decoded.map((d) => ({
  tokens: pipeline.targets.encode(d.hypotheses[0]?.tokens ?? []),
  labels: [...d.sourceTokens],
}));
const eos = pipeline.targets.eos;
const count = picks.reduce((n, p) => n + p.tokens.filter((t) => t !== eos).length, 0);
process.stdout.write(
  `${scored.length} articles, ${(count / scored.length).toFixed(2)} sentences picked on average\n`,
);
const share = referenceShare(train);
for (const outputOrder of ['article', 'pointer'] as const) {
  for (const budget of [0, share]) {
    const variant = new ExtractivePipeline(
      pipeline.vocabulary,
      { ...pipeline.data, outputOrder },
      budget,
    );
    const outputs = picks.map(
      (p) =>
        variant.decode(
          { tokens: [...p.tokens], score: 0, logProb: 0, tokenLogProbs: [], finished: true },
          0,
          { source: undefined as never, mask: undefined as never, labels: [p.labels] },
        ).text,
    );
    const { scores } = variant.evaluate(outputs, scored);
    const cells = ['rouge1', 'rouge2', 'rougeL'].map((k) => scores[k]!.toFixed(2));
    const what = budget === 0 ? 'no budget' : `budget ${(100 * budget).toFixed(1)}%`;
    process.stdout.write(
      `${outputOrder} order, ${what}: ROUGE-1 ${cells[0]}, ROUGE-2 ${cells[1]}, ROUGE-L ${cells[2]}\n`,
    );
  }
}
loaded.dispose();
