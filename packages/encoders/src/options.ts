import { z } from 'zod';

/** Fields several encoder schemas share, each with its rule and description. */
export const fields = {
  vocabSize: () =>
    z
      .int()
      .positive()
      .describe('Vocabulary size of the token ids; filled in from the model config'),
  features: () =>
    z
      .int()
      .positive()
      .describe('Floats per frame, for [B, S, F] feature frames; filled in from the model config'),
  embeddingSize: (size: number) =>
    z.int().positive().default(size).describe('Size E of the embedded (or projected) inputs'),
  dropout: () =>
    z.number().min(0).max(0.99).default(0).describe('Dropout rate in training, in [0, 0.99]'),
};

/**
 * A nested component config (`{ name: 'gru', … }`): only its `name` is checked here; its
 * own options are checked when it is built, at its path in the model (`encoder.sentences.…`).
 */
export function componentConfig(kind: string, example: string) {
  return z.looseObject(
    { name: z.string() },
    { error: `expected ${kind} config with a string 'name', e.g. ${example}` },
  );
}
