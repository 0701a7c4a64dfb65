import { disposeTree, type Memory } from '@s2s/core';
import { expectNoLeaks, pinBackend, randomMemory, toyStepModel } from '@s2s/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExhaustiveSearch } from '../exhaustive/exhaustive.js';
import { GreedySearch } from '../greedy/greedy.js';
import { auditBeamSearch } from './audit.js';

describe('auditBeamSearch', () => {
  const lengths = [4, 2, 3, 4];
  const maxLength = 4;
  let memory: Memory;
  beforeAll(async () => {
    await pinBackend('wasm');
    memory = randomMemory({ lengths, size: 4, seed: 71 });
  });
  afterAll(() => disposeTree(memory));

  for (const lengthPenalty of [0, 0.75]) {
    it(`compares beam with the true best output and counts search errors (α = ${lengthPenalty})`, async () => {
      let greedyErrors = 0;
      for (const seed of [1, 2, 3, 4]) {
        const model = toyStepModel({ vocabSize: 5, seed, sharpness: 1 });
        const audit = await auditBeamSearch(model, memory, {
          maxLength,
          widths: [1, 2, 320],
          lengthPenalty,
        });
        const call = { maxLength };
        const truth = await new ExhaustiveSearch({ lengthPenalty }).search(model, memory, call);
        const greedy = await new GreedySearch().search(model, memory, call);
        model.dispose();
        expect(audit.inputs).toHaveLength(lengths.length);
        audit.inputs.forEach((input, row) => {
          const best = truth[row]![0]!;
          expect(input.exact.tokens).toEqual(best.tokens);
          expect(input.exact.score).toBeCloseTo(best.score, 4);
          expect(input.exact.expanded).toBeGreaterThan(0);
          for (const beam of input.beams) {
            expect(beam.gap).toBeCloseTo(best.score - beam.score, 6);
            expect(beam.gap).toBeGreaterThan(-1e-4);
            expect(beam.searchError).toBe(beam.score < best.score - 1e-4);
          }
          // Width 1 with α = 0 is greedy; an unbounded width never errs.
          if (lengthPenalty === 0) {
            const g = greedy[row]![0]!;
            expect(input.beams[0]!.tokens).toEqual(g.tokens);
            if (g.logProb < best.score - 1e-4) greedyErrors++;
          }
          expect(input.beams[2]!.searchError).toBe(false);
        });
        audit.widths.forEach((summary, w) => {
          const errors = audit.inputs.filter((i) => i.beams[w]!.searchError).length;
          expect(summary.width).toBe([1, 2, 320][w]);
          expect(summary.searchErrors).toBe(errors);
          expect(summary.errorRate).toBeCloseTo(errors / lengths.length, 10);
        });
      }
      // These random models do trip greedy search up, and the audit must have seen it.
      if (lengthPenalty === 0) expect(greedyErrors).toBeGreaterThan(0);
    });
  }

  it('leaves no tensor behind and rejects bad options by name', async () => {
    const model = toyStepModel({ vocabSize: 5, seed: 1 });
    await expectNoLeaks(() => auditBeamSearch(model, memory, { maxLength: 3, widths: [1, 3] }));
    await expect(auditBeamSearch(model, memory, { maxLength: 3, widths: [0] })).rejects.toThrow(
      "search audit: option 'widths.0': too small: expected number to be >0, got 0",
    );
    await expect(
      auditBeamSearch(model, memory, { maxLength: 3, tolerence: 1 } as never),
    ).rejects.toThrow(/unknown option 'tolerence' \(did you mean 'tolerance'\?\)/);
    await expect(
      auditBeamSearch(model, memory, { maxLength: 3, lengthPenalty: -1 }),
    ).rejects.toThrow(/lengthPenalty/);
    model.dispose();
  });
});
