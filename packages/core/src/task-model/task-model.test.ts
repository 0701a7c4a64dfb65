import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hypothesis, SearchStrategy, StepModel } from '../contracts/search.js';
import type { EncodedSources, Task, TaskExample, TaskPipeline } from '../contracts/task.js';
import {
  CheckpointError,
  ConfigError,
  InputError,
  S2SError,
  UnknownPluginError,
} from '../errors/errors.js';
import { padSequences } from '../model/batch.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { countParameters } from '../module/parameters.js';
import { loadModel, modelFolder, saveModel } from '../node/model-folder.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { Vocabulary } from '../vocabulary/vocabulary.js';
import { LEGACY_CLI_FORMAT, TASK_MODEL_FORMAT } from './task-metadata.js';
import { TaskModel } from './task-model.js';

/**
 * A hand-written greedy search, independent of `@s2s/search` (which core cannot import):
 * one step at a time, the argmax of each row, stopping at `<eos>` or `maxLength`.
 */
const referenceGreedy: SearchStrategy = {
  name: 'test-greedy',
  async search(model: StepModel, memory, options): Promise<Hypothesis[][]> {
    const rows = memory.mask.shape[0];
    const cache = model.prepare(memory);
    let state = model.initialState(cache);
    const out = Array.from({ length: rows }, () => ({
      tokens: [] as number[],
      lp: [] as number[],
      align: [] as number[][],
    }));
    let prev = Array<number>(rows).fill(model.bos);
    for (let t = 0; t < options.maxLength; t++) {
      const prevT = tf.tensor1d(prev, 'int32');
      const step = model.step(prevT, state, cache);
      prevT.dispose();
      tf.dispose(state as never);
      state = step.state;
      const logProbs = step.logProbs.arraySync();
      const weights = step.weights?.arraySync();
      tf.dispose([step.logProbs, ...(step.weights ? [step.weights] : [])]);
      prev = logProbs.map((row, r) => {
        const o = out[r]!;
        if (o.tokens.at(-1) === model.eos) return model.eos;
        const best = row.indexOf(Math.max(...row));
        o.tokens.push(best);
        o.lp.push(row[best]!);
        if (weights) o.align.push(weights[r]!);
        return best;
      });
    }
    tf.dispose([cache, state] as never);
    return out.map((o) => {
      const logProb = o.lp.reduce((a, b) => a + b, 0);
      return [
        {
          tokens: o.tokens,
          score: logProb,
          logProb,
          tokenLogProbs: o.lp,
          finished: o.tokens.at(-1) === model.eos,
          ...(options.alignments === false ? {} : { alignment: o.align }),
        },
      ];
    });
  },
};

const letters = new Vocabulary(['a', 'b', 'c', 'd']);
const MAX_INPUT = 6;

/** A copy task over four letters: one character per token, exact match scored. */
class CopyPipeline implements TaskPipeline {
  modelConfig() {
    return {
      seed: 5,
      source: { vocabSize: letters.size },
      target: { vocabSize: letters.size },
      encoder: { name: 'toy', size: 6 },
      decoder: { name: 'toy', hidden: 5 },
    };
  }
  batches(): never {
    throw new Error('not used');
  }
  encode(inputs: readonly string[]): EncodedSources {
    const labels = inputs.map((input) => {
      if (input.length > MAX_INPUT)
        throw new S2SError(`${input.length} letters; at most ${MAX_INPUT}`);
      return [...input];
    });
    const { ids, mask } = padSequences(
      labels.map((l) => letters.encode(l)),
      letters.pad,
    );
    return { source: ids, mask, labels };
  }
  decode(h: Hypothesis) {
    return {
      text: letters.decode(h.tokens).join(''),
      tokens: h.tokens.map((id) => letters.token(id)),
    };
  }
  evaluate(outputs: readonly string[], examples: readonly TaskExample[]) {
    const right = outputs.filter((o, i) => examples[i]!.references.includes(o)).length;
    return { scores: { exact: (100 * right) / outputs.length }, primary: 'exact' };
  }
  toJSON() {
    return { copy: true };
  }
}

const copyTask: Task = {
  name: 'test-copy',
  description: 'copies letters',
  defaults: {
    model: { seed: 5, encoder: { name: 'toy' }, decoder: { name: 'toy' } },
    training: {},
    search: { name: 'test-greedy', maxLength: 7 },
    data: {},
  },
  read: () => {
    throw new Error('not used');
  },
  fit: async () => new CopyPipeline(),
  restore: (json) => {
    if ((json as { copy?: boolean }).copy !== true) throw new ConfigError('not a copy pipeline');
    return new CopyPipeline();
  },
};

const registry = new Registry();
registerToyPlugins(registry);
registry.register({
  kind: 'search',
  name: 'test-greedy',
  optionNames: [],
  create: () => referenceGreedy,
});
registry.register({ kind: 'task', name: 'test-copy', create: () => copyTask });

function freshModel(): TaskModel {
  const pipeline = new CopyPipeline();
  const model = Seq2Seq.build(pipeline.modelConfig(), registry);
  return new TaskModel({
    model,
    task: copyTask,
    settings: copyTask.defaults,
    pipeline,
    metadata: { note: 'kept' },
    registry,
  });
}

/** Decodes by hand, as every entry point did before TaskModel: encode, generate, decode. */
async function decodeByHand(m: TaskModel, texts: string[]): Promise<string[]> {
  const encoded = m.pipeline.encode(texts);
  const results = await m.model.generate(encoded.source, encoded.mask, referenceGreedy, {
    maxLength: 7,
    alignments: false,
  });
  tf.dispose([encoded.source, encoded.mask]);
  return results.map(([best], row) => m.pipeline.decode(best!, row, encoded).text);
}

const inputs = ['abc', 'dd', 'cabd', 'a', 'bcdab'];

describe('TaskModel', () => {
  let dir: string;
  beforeAll(async () => {
    await pinBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 's2s-task-model-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('decodes what encode → generate → decode by hand gives, in batches of any size', async () => {
    const m = freshModel();
    const expected = await decodeByHand(m, inputs);
    for (const batchSize of [1, 2, 32]) {
      const decoded = await m.decode(inputs, { batchSize });
      expect(decoded.map((d) => d.input)).toEqual(inputs);
      expect(decoded.map((d) => d.hypotheses[0]!.text)).toEqual(expected);
      expect(decoded.map((d) => d.sourceTokens)).toEqual(inputs.map((i) => [...i]));
    }
    m.dispose();
  });

  it('rejects a mistyped or bad decode option by name, before decoding anything', async () => {
    const m = freshModel();
    await expect(m.decode(inputs, { batchSzie: 2 } as never)).rejects.toThrow(
      /decode: unknown option 'batchSzie' \(did you mean 'batchSize'\?\)/,
    );
    await expect(m.decode(inputs, { batchSize: 0.5 })).rejects.toThrow(
      "decode: option 'batchSize': invalid input: expected int, received number, got 0.5",
    );
    m.dispose();
  });

  it('trims each alignment to its own input, whatever else shares the batch', async () => {
    const m = freshModel();
    const together = await m.decode(inputs, { alignments: true });
    for (const [i, d] of together.entries()) {
      const alone = (await m.decode([inputs[i]!], { alignments: true }))[0]!.hypotheses[0]!;
      const h = d.hypotheses[0]!;
      expect(h.alignment!.length).toBe(h.tokens.length);
      for (const row of h.alignment!) expect(row.length).toBe(inputs[i]!.length);
      h.alignment!.forEach((row, t) =>
        row.forEach((w, s) => expect(w).toBeCloseTo(alone.alignment![t]![s]!, 5)),
      );
      expect(h.score).toBeCloseTo(alone.score, 5);
    }
    expect((await m.decode(inputs))[0]!.hypotheses[0]!.alignment).toBeUndefined();
    m.dispose();
  });

  it("evaluates with the task's own scores of the texts it decodes", async () => {
    const m = freshModel();
    const outputs = await decodeByHand(m, inputs);
    // References: half of them the model's own outputs, so the score is 40, not 0 or 100.
    const examples = inputs.map((input, i) => ({
      input,
      references: [i % 2 === 0 && i < 4 ? outputs[i]! : 'x'],
    }));
    expect(await m.evaluate(examples, { batchSize: 2 })).toEqual({
      scores: { exact: 40 },
      primary: 'exact',
    });
    m.dispose();
  });

  it('round-trips through save and load: same outputs, scores, settings and extra metadata', async () => {
    const m = freshModel();
    const before = await m.decode(inputs, { alignments: true });
    await m.save(modelFolder(join(dir, 'copy')), { metadata: { steps: 3 } });
    const loaded = await TaskModel.load(modelFolder(join(dir, 'copy')), { registry });
    expect(loaded.task).toBe('test-copy');
    expect(loaded.settings).toEqual(m.settings);
    expect(loaded.metadata()).toEqual({
      format: TASK_MODEL_FORMAT,
      task: 'test-copy',
      settings: m.settings,
      pipeline: { copy: true },
      note: 'kept',
      steps: 3,
    });
    const after = await loaded.decode(inputs, { alignments: true });
    after.forEach((d, i) => {
      const [h, g] = [d.hypotheses[0]!, before[i]!.hypotheses[0]!];
      expect(h.text).toBe(g.text);
      expect(Math.abs(h.score - g.score)).toBeLessThan(1e-6);
    });
    m.dispose();
    loaded.dispose();
  });

  it('round-trips through any tf.io IO handler, as a page loads a model it fetched', async () => {
    const m = freshModel();
    const before = await m.decode(inputs);
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await TaskModel.load(tf.io.fromMemory(saved!), { registry });
    expect((await loaded.decode(inputs)).map((d) => d.hypotheses[0]!.text)).toEqual(
      before.map((d) => d.hypotheses[0]!.text),
    );
    expect(loaded.task).toBe('test-copy');
    m.dispose();
    loaded.dispose();
  });

  it("loads models saved by 's2s train' before the format moved into core", async () => {
    const m = freshModel();
    await saveModel(join(dir, 'legacy'), m.model, {
      metadata: {
        format: LEGACY_CLI_FORMAT,
        task: 'test-copy',
        settings: m.settings,
        pipeline: { copy: true },
        data: { examples: 1, sha256: 'x' },
      },
    });
    const loaded = await TaskModel.load(modelFolder(join(dir, 'legacy')), { registry });
    expect((await loaded.decode(['abc']))[0]!.hypotheses[0]!.text).toBe(
      (await m.decode(['abc']))[0]!.hypotheses[0]!.text,
    );
    expect(loaded.metadata().format).toBe(TASK_MODEL_FORMAT);
    m.dispose();
    loaded.dispose();
  });

  it('leaves no tensor behind after decoding, evaluating and disposing', async () => {
    const baseline = tf.memory().numTensors;
    const m = freshModel();
    const weights = tf.memory().numTensors - baseline;
    expect(weights).toBe(m.model.parameters().size);
    await m.decode(inputs, { alignments: true, batchSize: 2 });
    await m.evaluate([{ input: 'ab', references: ['ab'] }]);
    await expect(m.decode(['ab', 'abcdabcd'])).rejects.toThrow(InputError);
    expect(tf.memory().numTensors).toBe(baseline + weights);
    m.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    await expect(m.decode(['ab'])).rejects.toThrow('disposed');
  });

  it('names the input at fault by its position: empty, or rejected by the pipeline', async () => {
    const m = freshModel();
    await expect(m.decode(['ab', 'ab', ''])).rejects.toMatchObject({
      name: 'InputError',
      index: 2,
    });
    const error = await m.decode(['ab', 'c', 'abcdabcd'], { batchSize: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.index).toBe(2);
    expect(error.message).toBe('input 3: 8 letters; at most 6');
    m.dispose();
  });

  it('reports what it is: task, vocabulary sizes, parameters, backend', () => {
    const m = freshModel();
    expect(m.info()).toEqual({
      task: 'test-copy',
      settings: copyTask.defaults,
      vocabularies: { source: 8, target: 8 },
      parameters: countParameters(m.model),
      backend: 'wasm',
    });
    m.dispose();
  });

  describe('refuses what is not a task model, with a typed error', () => {
    it('a folder that holds no model', async () => {
      await expect(TaskModel.load(modelFolder(join(dir, 'nothing')), { registry })).rejects.toThrow(
        CheckpointError,
      );
    });

    it('a model saved without a task', async () => {
      const model = Seq2Seq.build(new CopyPipeline().modelConfig(), registry);
      await saveModel(join(dir, 'bare'), model, { metadata: { task: 'test-copy' } });
      const before = tf.memory().numTensors;
      const error = await TaskModel.load(modelFolder(join(dir, 'bare')), { registry }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error.message).toBe(
        `${join(dir, 'bare')}/model.json: is not a saved task model: its metadata has format null, expected '${TASK_MODEL_FORMAT}' (written by TaskModel.save and 's2s train')`,
      );
      // The weights it read were freed.
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });

    it('a task model whose metadata lost its pipeline', async () => {
      const model = Seq2Seq.build(new CopyPipeline().modelConfig(), registry);
      await saveModel(join(dir, 'no-pipeline'), model, {
        metadata: { format: TASK_MODEL_FORMAT, task: 'test-copy', settings: {} },
      });
      await expect(
        TaskModel.load(modelFolder(join(dir, 'no-pipeline')), { registry }),
      ).rejects.toThrow("without 'pipeline' in its metadata");
      model.dispose();
    });

    it('a task model whose pipeline its task cannot restore', async () => {
      const m = freshModel();
      await saveModel(join(dir, 'bad-pipeline'), m.model, {
        metadata: { ...m.metadata(), pipeline: { copy: false } },
      });
      const error = await TaskModel.load(modelFolder(join(dir, 'bad-pipeline')), {
        registry,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error.message).toBe(
        `${join(dir, 'bad-pipeline', 'model.json')}: its test-copy pipeline cannot be restored: not a copy pipeline`,
      );
      m.dispose();
    });

    it('a model of a task nobody registered', async () => {
      const m = freshModel();
      await saveModel(join(dir, 'unknown'), m.model, {
        metadata: { ...m.metadata(), task: 'test-kopy' },
      });
      const error = await TaskModel.load(modelFolder(join(dir, 'unknown')), { registry }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(UnknownPluginError);
      expect(error.message).toContain("unknown task 'test-kopy' (did you mean 'test-copy'?)");
      m.dispose();
    });

    it('something that is neither a URL nor an IO handler', async () => {
      await expect(TaskModel.load({} as tf.io.IOHandler, { registry })).rejects.toThrow(
        ConfigError,
      );
    });
  });

  it('laid-over settings change the default search and keep the weights', async () => {
    const m = freshModel();
    const shorter = m.withSettings({ search: { name: 'test-greedy', maxLength: 2 } });
    expect(shorter.model).toBe(m.model);
    const [long] = await m.decode(['abcd']);
    const [short] = await shorter.decode(['abcd']);
    expect(short!.hypotheses[0]!.tokens).toEqual(long!.hypotheses[0]!.tokens.slice(0, 2));
    m.dispose();
  });
});

describe('loadModel stays what TaskModel.load builds on', () => {
  it('keeps the metadata a task model saved, marker first-class', async () => {
    await pinBackend('wasm');
    const dir = await mkdtemp(join(tmpdir(), 's2s-task-model-meta-'));
    const m = freshModel();
    await m.save(modelFolder(dir));
    const loaded = await loadModel(dir, { registry });
    expect(loaded.metadata.format).toBe(TASK_MODEL_FORMAT);
    loaded.model.dispose();
    m.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});
