/**
 * The s2s demo: trains an LSTM encoder + additive attention + attentional decoder to
 * reverse digit strings, offline, on whatever backend is fastest here; reports the
 * held-out exact match; saves the model, loads it back through the registry and decodes a
 * few examples with greedy search, printing their attention alignments.
 */
import { join } from 'node:path';
import { countParameters, Seq2Seq, useBackend } from '@s2s/core';
import { loadModel, saveModel } from '@s2s/core/node';
import * as tf from '@tensorflow/tfjs';
import { textHeatmap } from './heatmap.js';
import { digits, reverseExamples } from './reverse-task.js';
import { evaluate, reverseModelConfig, train } from './train.js';

const lengths = { minLength: 3, maxLength: 10 };
const steps = 400;

const backend = await useBackend('auto');
console.log(
  's2s demo: learn to reverse digit strings (LSTM encoder, additive attention, greedy search)',
);
console.log(`backend: ${backend.description}`);

const model = Seq2Seq.build(reverseModelConfig(7, { embedding: 32, hidden: 64 }));
console.log(
  `model: ${countParameters(model).toLocaleString('en')} parameters; ${steps} steps of 64 examples`,
);

const started = performance.now();
train(model, reverseExamples(20_000, { seed: 1, ...lengths }), {
  steps,
  batchSize: 64,
  learningRate: 0.005,
  seed: 1,
  onStep: (step, loss) => {
    if (step % 25 === 0 || step === 1) {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  step ${String(step).padStart(3)}  loss ${loss.toFixed(4)}  ${seconds.toFixed(1)} s`,
      );
    }
  },
});
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const heldOut = reverseExamples(500, { seed: 2, ...lengths });
const { exactMatch } = await evaluate(model, heldOut);
console.log(
  `held-out exact match: ${(exactMatch * 100).toFixed(1)}% of ${heldOut.length} new strings`,
);

const dir = join(process.cwd(), 'runs', 'reverse-demo');
await saveModel(dir, model, { vocabularies: { source: digits, target: digits } });
model.dispose();
const loaded = await loadModel(dir);
console.log(`saved to ${dir} and loaded back through the registry`);

const shown = reverseExamples(3, { seed: 3, ...lengths });
const { hypotheses } = await evaluate(loaded.model, shown);
shown.forEach((example, i) => {
  const source = digits.decode(example.source);
  const output = digits.decode(hypotheses[i]!.tokens);
  const mark = output.join('') === [...source].reverse().join('') ? 'correct' : 'wrong';
  console.log(
    `\n${source.join(' ')}  →  ${output.join(' ')}   (${mark}, log P = ${hypotheses[i]!.logProb.toFixed(3)})`,
  );
  console.log(textHeatmap(hypotheses[i]!.alignment ?? [], source, [...output, '<eos>']));
});
loaded.model.dispose();
console.log(`\ntensors still allocated: ${tf.memory().numTensors}`);
