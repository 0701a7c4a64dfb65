import { z } from 'zod';

const warmupSteps = z.int().nonnegative().optional().describe('Steps of linear warm-up first');

/** Options of `linearSchedule`: linear from `from` at step 1 to `to` at step `steps`. */
export const linearScheduleOptions = z.strictObject({
  from: z.number().describe('The value at step 1'),
  to: z.number().describe('The value from step `steps` on'),
  steps: z.int().positive().describe('The step that reaches `to`'),
});

/** Options of `inverseSqrtSchedule`, the Transformer schedule peaking at `peak`. */
export const inverseSqrtScheduleOptions = z.strictObject({
  peak: z.number().positive().describe('The value at the end of the warm-up'),
  warmupSteps: z.int().positive().describe('Steps of linear warm-up before the 1/√t decay'),
});

/** Options of `exponentialDecay`: initial · rate^((t − 1) / decaySteps). */
export const exponentialDecayOptions = z.strictObject({
  initial: z.number().nonnegative().describe('The value at step 1'),
  rate: z.number().positive().describe('The factor per `decaySteps` steps'),
  decaySteps: z.int().positive(),
  staircase: z.boolean().default(false).describe('Floor the exponent. Default false'),
});

/**
 * A learning-rate (or sampling) schedule written as JSON: the zod schema of
 * {@link ScheduleConfig}, chosen by `name`.
 */
export const scheduleConfigSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('constant'), value: z.number(), warmupSteps }),
  z.strictObject({ name: z.literal('linear'), ...linearScheduleOptions.shape, warmupSteps }),
  z.strictObject({ name: z.literal('inverse-sqrt'), ...inverseSqrtScheduleOptions.shape }),
  z.strictObject({
    name: z.literal('exponential'),
    ...exponentialDecayOptions.shape,
    staircase: z.boolean().optional(),
    warmupSteps,
  }),
  z.strictObject({
    name: z.literal('step'),
    initial: exponentialDecayOptions.shape.initial,
    factor: z.number().positive(),
    everySteps: z.int().positive(),
    warmupSteps,
  }),
]);

const rate = (min: number, max: number) =>
  z.union([z.number().min(min).max(max), scheduleConfigSchema]);

/**
 * The {@link TrainerOptions} that can be written as JSON (a settings file's `training`
 * section): every option but schedules given as functions.
 */
export const trainerSettingsSchema = z.strictObject({
  optimizer: z.enum(['adam', 'sgd']).optional().describe('Default adam'),
  learningRate: rate(0, 100)
    .optional()
    .describe('A constant or a schedule; default 0.001 (Adam) or 0.1 (SGD)'),
  clipNorm: z
    .number()
    .nonnegative()
    .optional()
    .describe('Clip gradients to this global norm; 0 turns clipping off. Default 5'),
  labelSmoothing: z.number().min(0).max(1).optional().describe('Label smoothing ε. Default 0'),
  seed: z.int().optional().describe('Seeds dropout, scheduled sampling, shuffling. Default 0'),
  scheduledSampling: z
    .strictObject({
      probability: rate(0, 1).describe("The chance of feeding the model's own previous token"),
      feed: z.enum(['sample', 'argmax']).optional().describe('Default sample'),
    })
    .optional()
    .describe('Scheduled sampling (Bengio et al. 2015). Default off'),
  nonFinite: z
    .enum(['stop', 'skip'])
    .optional()
    .describe('What a step with a NaN or infinite loss does. Default stop'),
});
