import { z } from 'zod';
import { fields } from '../options.js';

/** The options every recurrent encoder shares; `layers` and `bidirectional` default per encoder. */
function recurrentShape(defaults: { layers: number; bidirectional: false | 'concat' | 'sum' }) {
  return {
    embeddingSize: fields.embeddingSize(64),
    hiddenSize: z.int().positive().default(128).describe("Size H of each direction's state"),
    layers: z.int().positive().default(defaults.layers).describe('Stacked recurrent layers'),
    bidirectional: z
      .literal([false, 'concat', 'sum'])
      .default(defaults.bidirectional)
      .describe("false (forwards only), 'concat' ([→h; ←h], size 2H) or 'sum' (→h + ←h)"),
    dropout: fields.dropout(),
  };
}

const residual = z
  .boolean()
  .default(false)
  .describe("Add each layer's input to its output, from the second layer on");

/** `residual` starts at the second layer and cannot read a pyramidal layer's paired frames. */
function residualRules(
  o: { readonly residual: boolean; readonly layers: number; readonly pyramidal?: boolean },
  ctx: z.RefinementCtx,
): void {
  if (!o.residual) return;
  if (o.pyramidal) {
    ctx.addIssue({
      code: 'custom',
      path: ['residual'],
      message:
        "cannot be used with 'pyramidal': a pyramidal layer reads two frames, twice the size of its output",
    });
  } else if (o.layers < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['residual'],
      message: `adds each layer's input to its output from the second layer on, so it needs 'layers' ≥ 2 (layers is ${o.layers})`,
    });
  }
}

/** The options `{ name: 'lstm', … }` (and `'gru'`) takes in a model config, with their defaults. */
export const recurrentEncoderOptions = z
  .strictObject({ ...recurrentShape({ layers: 1, bidirectional: false }), residual })
  .superRefine(residualRules);

/** LAS's listener: a BLSTM and three pyramidal BLSTMs above it, 8× fewer frames. */
export const pyramidalDefaults = { layers: 4, bidirectional: 'concat' } as const;

/** The options `{ name: 'pyramidal-lstm', … }` (and `'pyramidal-gru'`) takes, with their defaults. */
export const pyramidalEncoderOptions = z.strictObject(recurrentShape(pyramidalDefaults));

/**
 * What the {@link RnnEncoder} constructor parses: the registry options plus the cell, the
 * input the model config's `source` names (exactly one of `vocabSize` and `features`) and
 * `pyramidal`.
 */
export const rnnEncoderOptions = z
  .strictObject({
    cell: z.enum(['lstm', 'gru']).describe('The recurrent cell'),
    vocabSize: fields.vocabSize().optional(),
    features: fields.features().optional(),
    ...recurrentShape({ layers: 1, bidirectional: false }),
    residual,
    pyramidal: z
      .boolean()
      .default(false)
      .describe('Halve the time axis before every layer above the first (Chan et al. 2016)'),
  })
  .superRefine((o, ctx) => {
    residualRules(o, ctx);
    if ((o.vocabSize === undefined) === (o.features === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one of 'vocabSize' (token ids) or 'features' (feature frames), got vocabSize ${o.vocabSize} and features ${o.features}`,
      });
    }
  });
