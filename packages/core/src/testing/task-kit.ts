import { beforeAll, describe, expect, it } from 'vitest';
import type {
  Task,
  TaskExample,
  TaskPipeline,
  TaskReadOptions,
  TaskSettings,
} from '../contracts/task.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { disposeTree } from '../tree/tensor-tree.js';
import { expectClose, expectNoLeaks, pinBackend } from './helpers.js';
import { describePlugin, type PluginKitOptions } from './plugin-kit.js';

/** How {@link describeTask} gets the task under test and its data. */
export interface TaskKitOptions {
  create(): Task;
  /** A small file or folder the task reads, such as the sample it ships. */
  readonly data: string;
  /** Settings for the check (a smaller model, say). Default: the task's defaults. */
  readonly settings?: (defaults: TaskSettings) => TaskSettings;
  /**
   * Passed to `task.read`: a task that reads files needs `readLines` (and folders `pathKind`,
   * `listFolder`); in Node pass `nodeReadOptions` from `@s2s/data/node`.
   */
  readonly read?: TaskReadOptions;
  /** At most this many examples are read. Default 24. */
  readonly examples?: number;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Also build it by this registered name ({@link describePlugin}). Default: its `name`. */
  readonly plugin?: PluginKitOptions;
}

/**
 * The task conformance suite: defaults are plain JSON; reading gives well-formed
 * examples; a fitted pipeline saved with `toJSON()` and restored encodes exactly the
 * same and describes the same model, whose every component is registered; perfect
 * outputs score at least as well as empty ones, on the 0–100 scale; no tensor leaks.
 */
export function describeTask(name: string, options: TaskKitOptions): void {
  describe(`task conformance: ${name}`, () => {
    let task: Task;
    let settings: TaskSettings;
    let examples: TaskExample[];
    let pipeline: TaskPipeline;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      task = options.create();
      settings = options.settings?.(task.defaults) ?? task.defaults;
      examples = [];
      for await (const example of task.read(options.data, settings, options.read)) {
        examples.push(example);
        if (examples.length >= (options.examples ?? 24)) break;
      }
      pipeline = await task.fit(examples, settings);
    });

    it('has defaults that are plain JSON, with the four sections', () => {
      expect(JSON.parse(JSON.stringify(task.defaults))).toEqual(task.defaults);
      for (const section of ['model', 'training', 'search', 'data'])
        expect(task.defaults).toHaveProperty(section);
    });

    // Only for a task that declares a schema (it is optional in the contract).
    it.skipIf(options.create().dataSchema === undefined)(
      'has defaults whose data section its dataSchema accepts, and refuses a typo there',
      () => {
        const schema = task.dataSchema!;
        expect(schema.safeParse(task.defaults.data).success).toBe(true);
        const typo = { ...task.defaults.data, notAnOptionOfThisTask: 1 };
        expect(schema.safeParse(typo).success).toBe(false);
      },
    );

    it('reads well-formed examples', () => {
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        expect(typeof example.input).toBe('string');
        expect(example.input.length).toBeGreaterThan(0);
        expect(example.references.length).toBeGreaterThan(0);
        for (const reference of example.references) expect(typeof reference).toBe('string');
      }
    });

    it('restores from its saved JSON, encoding the same and describing the same model', () => {
      const restored = task.restore(JSON.parse(JSON.stringify(pipeline.toJSON())), settings);
      expect(restored.modelConfig(settings.model)).toEqual(pipeline.modelConfig(settings.model));
      const inputs = examples.slice(0, 4).map((e) => e.input);
      const [a, b] = [pipeline.encode(inputs), restored.encode(inputs)];
      expectClose(a.source, b.source, 0, 'source');
      expectClose(a.mask, b.mask, 0, 'mask');
      expect(b.labels).toEqual(a.labels);
      disposeTree([a.source, a.mask, a.inputs, b.source, b.mask, b.inputs]);
    });

    it('describes a model whose every component is registered', () => {
      Seq2Seq.build(pipeline.modelConfig(settings.model)).dispose();
    });

    it('scores perfect outputs at least as high as empty ones, on 0–100', () => {
      const perfect = pipeline.evaluate(
        examples.map((e) => e.references[0]!),
        examples,
      );
      const empty = pipeline.evaluate(
        examples.map(() => ''),
        examples,
      );
      expect(Object.keys(perfect.scores)).toContain(perfect.primary);
      for (const [metric, value] of Object.entries(perfect.scores)) {
        expect(Number.isFinite(value), metric).toBe(true);
        expect(value, metric).toBeGreaterThanOrEqual(0);
      }
      expect(perfect.scores[perfect.primary]!).toBeGreaterThanOrEqual(empty.scores[empty.primary]!);
    });

    it('encodes without leaving tensors behind', async () => {
      await expectNoLeaks(() => {
        const encoded = pipeline.encode(examples.slice(0, 2).map((e) => e.input));
        disposeTree([encoded.source, encoded.mask, encoded.inputs]);
      });
    });

    describePlugin('task', options.plugin ?? { name: options.create().name });
  });
}
