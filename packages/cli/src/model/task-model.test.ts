import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Seq2Seq, type TaskExample, TaskModel } from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { atToySize, pinBackend } from '@s2s/core/testing';
import { readLines } from '@s2s/data/node';
import { translationTask } from '@s2s/task-translation';
import { samplePath } from '@s2s/task-translation/node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, trainedToyWorkspace } from '../../test/harness.js';
import '../testing/index.js';

// The CLI side of core's TaskModel: models `s2s train` wrote, real search plugins, and a
// model saved the way the translation benchmark saves one.
let ws: { dir: string; cleanup: () => Promise<void> };
let scratch: string;
beforeAll(async () => {
  await pinBackend('wasm');
  ws = await trainedToyWorkspace();
  scratch = await mkdtemp(join(tmpdir(), 's2s-task-model-cli-'));
}, 120_000);
afterAll(async () => {
  await ws.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

const inputs = ['1234', '98', '5566', '70731'];
const beam = { name: 'beam', beamSize: 4, lengthPenalty: 0, maxLength: 10 };

describe("TaskModel on models 's2s train' wrote", () => {
  it('gives n-best lists shaped as asked: nbest hypotheses, best first, alignments per input', async () => {
    const model = await TaskModel.load(modelFolder(join(ws.dir, 'run', 'model')));
    const decoded = await model.decode(inputs, { search: beam, nbest: 3, alignments: true });
    expect(decoded.map((d) => d.input)).toEqual(inputs);
    for (const d of decoded) {
      expect(d.hypotheses).toHaveLength(3);
      expect(d.sourceTokens).toEqual([...d.input]);
      const scores = d.hypotheses.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const h of d.hypotheses) {
        // α = 0: the score is log P, the sum of the per-token log-probabilities.
        const sum = h.tokenLogProbs.reduce((a, b) => a + b, 0);
        expect(Math.abs(h.score - sum)).toBeLessThan(1e-4);
        expect(h.alignment).toHaveLength(h.tokens.length);
        for (const row of h.alignment!) {
          expect(row).toHaveLength(d.input.length);
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);
        }
      }
    }
    const plain = await model.decode(inputs, { search: beam });
    expect(plain.every((d) => d.hypotheses.length === 1 && !d.hypotheses[0]!.alignment)).toBe(true);
    model.dispose();
  });

  it('load → decode → save → load gives identical n-best lists (scores to 1e-6)', async () => {
    const first = await TaskModel.load(modelFolder(join(ws.dir, 'run', 'model')));
    const before = await first.decode(inputs, { search: beam, nbest: 3, alignments: true });
    await first.save(modelFolder(join(scratch, 'again')));
    first.dispose();
    const second = await TaskModel.load(modelFolder(join(scratch, 'again')));
    const after = await second.decode(inputs, { search: beam, nbest: 3, alignments: true });
    after.forEach((d, i) => {
      d.hypotheses.forEach((h, j) => {
        const g = before[i]!.hypotheses[j]!;
        expect(h.text).toBe(g.text);
        expect(Math.abs(h.score - g.score)).toBeLessThan(1e-6);
        h.alignment!.forEach((row, t) =>
          row.forEach((w, s) => expect(Math.abs(w - g.alignment![t]![s]!)).toBeLessThan(1e-6)),
        );
      });
    });
    // What it saved is still a run's model: the CLI's extra metadata travels along.
    expect(second.metadata().data).toEqual(expect.objectContaining({ examples: 96 }));
    second.dispose();
  });

  it('leaves no tensor behind once decoded and disposed', async () => {
    const baseline = tf.memory().numTensors;
    const model = await TaskModel.load(modelFolder(join(ws.dir, 'run', 'model')));
    await model.decode(inputs, { search: beam, nbest: 2, alignments: true, batchSize: 3 });
    await model.evaluate([{ input: '12', references: ['21'] }]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('a model saved the way the translation benchmark saves it', () => {
  it("opens with 's2s decode' and 's2s eval', which print what TaskModel gives", async () => {
    const examples: TaskExample[] = [];
    for await (const e of translationTask.read(samplePath, translationTask.defaults, {
      readLines,
    })) {
      examples.push(e);
      if (examples.length === 200) break;
    }
    const settings = {
      ...translationTask.defaults,
      model: atToySize(translationTask.defaults.model, {
        embeddingSize: 8,
        hiddenSize: 8,
        size: 8,
      }),
      search: { name: 'beam', beamSize: 2, maxLength: 6 },
    };
    const pipeline = await translationTask.fit(examples, settings);
    const model = new TaskModel({
      model: Seq2Seq.build(pipeline.modelConfig(settings.model)),
      task: translationTask,
      settings,
      pipeline,
    });
    await model.save(modelFolder(join(scratch, 'translation')), {
      metadata: { result: { steps: 0 } },
    });
    const sentences = examples.slice(0, 3).map((e) => e.input);
    const expected = await model.decodeBest(sentences);
    const scored = examples.slice(0, 3);
    const scores = await model.evaluate(scored);
    model.dispose();

    const decoded = await runCli(['decode', 'translation', '--backend', 'wasm'], {
      cwd: scratch,
      stdin: `${sentences.join('\n')}\n`,
    });
    expect(decoded.stderr).not.toContain('error');
    expect(decoded.status).toBe(0);
    expect(decoded.stdout).toBe(expected.map((t) => `${t}\n`).join(''));

    const tsv = scored.map((e) => `${e.input}\t${e.references[0]}\n`).join('');
    await writeFile(join(scratch, 'three.tsv'), tsv);
    const evaluated = await runCli(
      ['eval', 'translation', '--data', 'three.tsv', '--json', '--backend', 'wasm'],
      { cwd: scratch },
    );
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const printed = JSON.parse(evaluated.stdout) as { scores: Record<string, number> };
    expect(printed.scores.bleu).toBeCloseTo(scores.scores.bleu!, 6);
    expect(printed.scores.chrf).toBeCloseTo(scores.scores.chrf!, 6);
  }, 120_000);
});
