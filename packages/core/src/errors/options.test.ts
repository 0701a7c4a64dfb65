import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { parseOptions } from './options.js';

const training = z.strictObject({
  epochs: z.int().positive().default(10),
  batchSize: z.int().positive().optional(),
  schedule: z
    .discriminatedUnion('name', [
      z.strictObject({ name: z.literal('constant'), value: z.number() }),
      z.strictObject({ name: z.literal('linear'), from: z.number(), steps: z.int() }),
    ])
    .optional(),
});
const settings = z.strictObject({ training: training.optional() });

describe('parseOptions', () => {
  it('returns the parsed options with their defaults', () => {
    expect(parseOptions('t', settings, { training: { batchSize: 4 } })).toEqual({
      training: { epochs: 10, batchSize: 4 },
    });
  });

  it('names an unknown key by its path, with the closest known key and the known ones', () => {
    expect(() => parseOptions('config file c.json', settings, { training: { epochz: 3 } })).toThrow(
      new ConfigError(
        "config file c.json: unknown option 'training.epochz' (did you mean 'epochs'?); known options: epochs, batchSize, schedule",
      ),
    );
  });

  it('puts the prefix before the path', () => {
    expect(() =>
      parseOptions("attention 'x'", training, { epohcs: 1 }, 'decoder.attention'),
    ).toThrow("attention 'x': unknown option 'decoder.attention.epohcs' (did you mean 'epochs'?)");
  });

  it('finds the member of a union that the name chooses', () => {
    expect(() =>
      parseOptions('t', settings, {
        training: { schedule: { name: 'linear', steps: 1, form: 2 } },
      }),
    ).toThrow(
      /unknown option 'training\.schedule\.form' \(did you mean 'from'\?\); known options: name, from, steps/,
    );
  });

  it('explains an object given to an object-or-literal union by the object member', () => {
    const perturb = z.strictObject({
      noise: z.union([z.literal(false), z.strictObject({ snrDb: z.number() })]).optional(),
    });
    expect(() => parseOptions('t', perturb, { noise: { snrBd: 20 } })).toThrow(
      /unknown option 'noise\.snrBd' \(did you mean 'snrDb'\?\)/,
    );
    expect(() => parseOptions('t', perturb, { noise: true })).toThrow(/option 'noise'/);
  });

  it('says what was expected and what was found', () => {
    expect(() => parseOptions('t', settings, { training: { epochs: 0 } })).toThrow(
      /option 'training\.epochs': too small: expected number to be >0, got 0$/,
    );
    expect(() => parseOptions('t', settings, { training: { batchSize: 'big' } })).toThrow(
      /option 'training\.batchSize': invalid input: expected number, received string, got 'big'$/,
    );
  });

  it('does not call a defaulted option that a rule between options points at required', () => {
    const sizes = z
      .strictObject({ size: z.int().default(8), heads: z.int().default(3) })
      .superRefine((o, ctx) => {
        if (o.size % o.heads !== 0)
          ctx.addIssue({ code: 'custom', path: ['size'], message: 'must be a multiple of heads' });
      });
    const error = (() => {
      try {
        parseOptions('t', sizes, { heads: 3 });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toBe("t: option 'size': must be a multiple of heads");
  });

  it('says when a required option is missing', () => {
    const needs = z.strictObject({ size: z.int() });
    expect(() => parseOptions('t', needs, {})).toThrow(/option 'size' is required/);
  });
});
