import { ConfigError, parseOptions, Rng, type TaskExample, type TaskSplit } from '@s2s/core';
import { z } from 'zod';

/** Options of {@link splitBySource}. */
export interface SplitOptions {
  /** Share of distinct source sentences held out, in [0, 1); 0 holds out nothing. */
  readonly devFraction: number;
  /** At most this many held-out sentences. */
  readonly maxDev: number;
  readonly seed: number;
}

/** The options of {@link splitBySource}. */
export const splitOptions = z.strictObject({
  devFraction: z
    .number()
    .min(0)
    .lt(1)
    .describe(
      'Share of distinct source sentences held out (training.devFraction); 0 holds out none',
    ),
  maxDev: z.int().positive().describe('At most this many held-out sentences'),
  seed: z.int().describe('Seeds which sentences are held out'),
});

/**
 * Holds out a seeded random share of the distinct *source* sentences. Tatoeba pairs one
 * English sentence with several French translations, one line each; splitting lines at
 * random would put a sentence in training and its other translation in the dev set, and
 * score memory rather than translation. Here every translation of a held-out sentence
 * leaves training, and the dev set has one example per sentence carrying all of them as
 * references (in file order), as sacreBLEU scores several references.
 */
export function splitBySource(examples: readonly TaskExample[], options: SplitOptions): TaskSplit {
  const { devFraction, maxDev, seed } = parseOptions('translation split', splitOptions, options);
  if (devFraction === 0) return { train: examples, dev: [] };
  const groups = new Map<string, TaskExample[]>();
  for (const example of examples) {
    const group = groups.get(example.input);
    if (group) group.push(example);
    else groups.set(example.input, [example]);
  }
  const inputs = [...groups.keys()];
  new Rng(seed).shuffle(inputs);
  const count = Math.min(maxDev, Math.max(1, Math.round(devFraction * inputs.length)));
  if (count >= inputs.length) {
    throw new ConfigError(
      `translation split: holding out ${count} of ${inputs.length} distinct sentences leaves nothing to train on; lower 'training.devFraction'`,
    );
  }
  const held = new Set(inputs.slice(0, count));
  // Keys iterate in insertion order: dev sentences keep the file's order.
  const dev = [...groups.keys()]
    .filter((input) => held.has(input))
    .map((input): TaskExample => {
      const group = groups.get(input)!;
      const origin = group[0]!.origin;
      return {
        input,
        references: group.flatMap((e) => e.references),
        ...(origin === undefined ? {} : { origin }),
      };
    });
  return { train: examples.filter((e) => !held.has(e.input)), dev };
}
