import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Memory } from '../contracts/memory.js';
import type { Hypothesis, SearchStrategy } from '../contracts/search.js';
import { disposeTree } from '../tree/tensor-tree.js';
import { expectNoLeaks, pinBackend, randomLengths } from './helpers.js';
import { memoryRow, randomMemory } from './memory.js';
import { describePlugin, type PluginKitOptions } from './plugin-kit.js';
import { teacherForcedLogProbs, toyStepModel } from './toy-model.js';

/** How {@link describeSearch} builds the strategy under test. */
export interface SearchKitOptions {
  create(): SearchStrategy;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Default 6. */
  readonly vocabSize?: number;
  /** Default 5. */
  readonly maxLength?: number;
  /** Whether a batch gives the same hypotheses as its rows one at a time. Default true; samplers say false. */
  readonly batchInvariant?: boolean;
  /**
   * Also build it by this registered name: the kit then checks the registry's factory,
   * option validation and loading by name ({@link describePlugin}).
   */
  readonly plugin?: PluginKitOptions;
}

/**
 * The search conformance suite, on a random toy model: every hypothesis is scored the way
 * teacher forcing scores it, hypotheses are well formed and sorted, batches equal rows
 * searched alone, and nothing leaks.
 */
export function describeSearch(name: string, options: SearchKitOptions): void {
  const v = options.vocabSize ?? 6;
  const maxLength = options.maxLength ?? 5;
  const lengths = randomLengths(3, 4, 51);
  const model = () => toyStepModel({ vocabSize: v, seed: 5 });

  describe(`search conformance: ${name}`, () => {
    let memory: Memory;
    let toy: ReturnType<typeof toyStepModel>;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      memory = randomMemory({ lengths, size: 4, seed: 8 });
      toy = model();
    });
    afterAll(() => {
      disposeTree(memory);
      toy.dispose();
    });

    it('scores each hypothesis as teacher forcing does', async () => {
      const results = await options.create().search(toy, memory, { maxLength });
      expect(results).toHaveLength(lengths.length);
      results.forEach((hyps, row) => {
        expect(hyps.length, `row ${row} has hypotheses`).toBeGreaterThan(0);
        const reference = teacherForcedLogProbs(
          toy,
          memory,
          row,
          hyps.map((h) => h.tokens),
        );
        hyps.forEach((h, i) => {
          expect(h.tokenLogProbs).toHaveLength(h.tokens.length);
          h.tokenLogProbs.forEach((lp, t) => expect(lp).toBeCloseTo(reference[i]![t]!, 4));
          expect(h.logProb).toBeCloseTo(sum(reference[i]!), 4);
        });
      });
    });

    it('returns well-formed hypotheses, best first', async () => {
      const results = await options.create().search(toy, memory, { maxLength });
      for (const hyps of results) {
        for (const h of hyps) checkWellFormed(h, toy.eos, maxLength, v);
        for (let i = 1; i < hyps.length; i++)
          expect(hyps[i - 1]!.score).toBeGreaterThanOrEqual(hyps[i]!.score);
        if (hyps[0]!.alignment) {
          expect(hyps[0]!.alignment).toHaveLength(hyps[0]!.tokens.length);
        }
      }
    });

    if (options.batchInvariant ?? true) {
      it('a batch gives what its rows give searched one at a time', async () => {
        const together = await options.create().search(toy, memory, { maxLength });
        for (let r = 0; r < lengths.length; r++) {
          const row = memoryRow(memory, r, lengths[r]!);
          const [alone] = await options.create().search(toy, row, { maxLength });
          disposeTree(row);
          expect(alone!.map((h) => h.tokens)).toEqual(together[r]!.map((h) => h.tokens));
          alone!.forEach((h, i) => expect(h.score).toBeCloseTo(together[r]![i]!.score, 4));
        }
      });
    }

    it('leaves no tensor behind', async () => {
      await expectNoLeaks(() => options.create().search(toy, memory, { maxLength }));
    });

    if (options.plugin) describePlugin('search', options.plugin);
  });
}

function checkWellFormed(h: Hypothesis, eos: number, maxLength: number, v: number): void {
  expect(h.tokens.length).toBeGreaterThan(0);
  expect(h.tokens.length).toBeLessThanOrEqual(maxLength);
  const firstEos = h.tokens.indexOf(eos);
  if (h.finished)
    expect(firstEos, 'finished hypotheses end at their first <eos>').toBe(h.tokens.length - 1);
  else expect(firstEos, 'unfinished hypotheses hold no <eos>').toBe(-1);
  for (const token of h.tokens) expect(token >= 0 && token < v).toBe(true);
  expect(h.logProb).toBeCloseTo(sum(h.tokenLogProbs), 4);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
