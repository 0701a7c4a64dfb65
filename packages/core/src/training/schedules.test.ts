import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import {
  checkedSchedule,
  constantSchedule,
  exponentialDecay,
  exponentialSampling,
  inverseSigmoidSampling,
  inverseSqrtSchedule,
  linearSchedule,
  scheduleFromConfig,
  stepDecay,
  withWarmup,
} from './schedules.js';

const at = (schedule: (t: number) => number, steps: number[]) => steps.map((t) => schedule(t));

describe('learning-rate schedules', () => {
  it('constant gives its value at every step', () => {
    expect(at(constantSchedule(0.3), [1, 2, 1000])).toEqual([0.3, 0.3, 0.3]);
  });

  it('linear goes from `from` at step 1 to `to` at step `steps`, then stays', () => {
    // from 0 to 1 over 5 steps: (t − 1) / 4.
    const s = linearSchedule({ from: 0, to: 1, steps: 5 });
    expect(at(s, [1, 2, 3, 5, 9])).toEqual([0, 0.25, 0.5, 1, 1]);
  });

  it('inverse square root rises linearly to the peak at w, then falls as √(w/t)', () => {
    const s = inverseSqrtSchedule({ peak: 2, warmupSteps: 4 });
    // 2·min(t/4, √(4/t)): t=1 → 0.5, t=2 → 1, t=4 → 2, t=16 → 1, t=64 → 0.5.
    expect(at(s, [1, 2, 4, 16, 64])).toEqual([0.5, 1, 2, 1, 0.5]);
    // Vaswani et al.: d^−0.5 · min(t^−0.5, t · w^−1.5) equals this with peak d^−0.5 · w^−0.5.
    const d = 512;
    const w = 4000;
    const vaswani = (t: number) => d ** -0.5 * Math.min(t ** -0.5, t * w ** -1.5);
    const ours = inverseSqrtSchedule({ peak: d ** -0.5 * w ** -0.5, warmupSteps: w });
    for (const t of [1, 100, 3999, 4000, 4001, 100_000]) {
      expect(ours(t)).toBeCloseTo(vaswani(t), 12);
    }
  });

  it('exponential decay multiplies by `rate` every `decaySteps`, continuously or in stairs', () => {
    const smooth = exponentialDecay({ initial: 1, rate: 0.5, decaySteps: 2 });
    expect(at(smooth, [1, 3, 5])).toEqual([1, 0.5, 0.25]);
    expect(smooth(2)).toBeCloseTo(Math.SQRT1_2, 12);
    const stairs = exponentialDecay({ initial: 1, rate: 0.5, decaySteps: 2, staircase: true });
    expect(at(stairs, [1, 2, 3, 4, 5])).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('step decay multiplies by `factor` every `everySteps`', () => {
    const s = stepDecay({ initial: 0.1, factor: 0.1, everySteps: 3 });
    const expected = [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001];
    at(s, [1, 2, 3, 4, 5, 6, 7]).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
  });

  it('warm-up ramps linearly to the inner schedule, which then starts from its step 1', () => {
    const s = withWarmup(stepDecay({ initial: 1, factor: 0.5, everySteps: 2 }), 4);
    // warm-up: 1·t/4 for t ≤ 4; then inner(t − 4): 1, 1, 0.5, 0.5, 0.25.
    expect(at(s, [1, 2, 4, 5, 6, 7, 8, 9])).toEqual([0.25, 0.5, 1, 1, 1, 0.5, 0.5, 0.25]);
  });

  it('rejects bad parameters, naming them', () => {
    expect(() => inverseSqrtSchedule({ peak: 1, warmupSteps: 0 })).toThrow(/warmupSteps/);
    expect(() => exponentialDecay({ initial: 1, rate: -1, decaySteps: 1 })).toThrow(/rate/);
    expect(() => withWarmup(constantSchedule(1), 1.5)).toThrow(/steps/);
  });
});

describe('scheduled-sampling schedules (Bengio et al. 2015)', () => {
  it('inverse sigmoid: p(t) = 1 − k / (k + exp(t / k))', () => {
    const s = inverseSigmoidSampling(10);
    expect(s(0)).toBeCloseTo(1 - 10 / 11, 12);
    expect(s(10)).toBeCloseTo(1 - 10 / (10 + Math.E), 12);
    expect(s(100)).toBeCloseTo(1 - 10 / (10 + Math.exp(10)), 12);
    expect(() => inverseSigmoidSampling(0.5)).toThrow(ConfigError);
  });

  it('exponential: p(t) = 1 − k^t', () => {
    const s = exponentialSampling(0.5);
    expect(at(s, [1, 2, 3])).toEqual([0.5, 0.75, 0.875]);
    expect(() => exponentialSampling(1)).toThrow(
      "exponentialSampling: option 'k': too big: expected number to be <1, got 1",
    );
  });
});

describe('checkedSchedule', () => {
  it('accepts a number or a function and fails at the step a value leaves the range', () => {
    expect(checkedSchedule('T', 'lr', 0.5, 0, 1)(7)).toBe(0.5);
    const s = checkedSchedule('T', 'lr', (t) => (t < 3 ? 0.5 : Number.NaN), 0, 1);
    expect(s(2)).toBe(0.5);
    expect(() => s(3)).toThrow(/T: schedule 'lr' gave NaN at step 3/);
    expect(() => checkedSchedule('T', 'lr', 2, 0, 1)).toThrow(/option 'lr'/);
    expect(() => checkedSchedule('T', 'lr', 'fast' as never, 0, 1)).toThrow(ConfigError);
  });
});

describe('scheduleFromConfig', () => {
  it('builds each kind as its function does, warm-up included', () => {
    const at = (s: (t: number) => number) => [1, 2, 10, 100].map(s);
    expect(at(scheduleFromConfig({ name: 'constant', value: 0.5 }))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(at(scheduleFromConfig({ name: 'inverse-sqrt', peak: 1, warmupSteps: 10 }))).toEqual(
      at(inverseSqrtSchedule({ peak: 1, warmupSteps: 10 })),
    );
    expect(
      at(scheduleFromConfig({ name: 'step', initial: 1, factor: 0.5, everySteps: 10 })),
    ).toEqual([1, 1, 1, 0.5 ** 9]);
    expect(
      at(
        scheduleFromConfig({
          name: 'exponential',
          initial: 1,
          rate: 0.5,
          decaySteps: 10,
          warmupSteps: 2,
        }),
      ),
    ).toEqual([0.5, 1, 0.5 ** 0.7, 0.5 ** 9.7]);
    expect(at(scheduleFromConfig({ name: 'linear', from: 1, to: 0, steps: 11 }))).toEqual([
      1,
      0.9,
      expect.closeTo(0.1, 10),
      0,
    ]);
  });

  it('rejects unknown kinds and options, naming them', () => {
    expect(() => scheduleFromConfig({ name: 'cosine' } as never)).toThrow(
      /unknown schedule "cosine"; known schedules: constant, linear/,
    );
    expect(() => scheduleFromConfig({ name: 'constant', value: 1, peak: 2 } as never)).toThrow(
      /unknown option 'peak'/,
    );
    expect(() => linearSchedule({ from: 1, to: 0, step: 4 } as never)).toThrow(
      /linearSchedule: unknown option 'step' \(did you mean 'steps'\?\)/,
    );
    expect(() => exponentialDecay({ initial: 1, rate: 0, decaySteps: 2 })).toThrow(
      "exponentialDecay: option 'rate': too small: expected number to be >0, got 0",
    );
  });

  it('lets a Trainer take its learning rate from JSON', () => {
    expect(
      checkedSchedule('Trainer', 'learningRate', { name: 'constant', value: 0.01 }, 0, 100)(5),
    ).toBe(0.01);
  });
});
