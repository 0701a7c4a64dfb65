import { z } from 'zod';

const warmupSteps = z.int().nonnegative().optional().describe('Steps of linear warm-up first');

/**
 * A learning-rate (or sampling) schedule written as JSON: the zod schema of
 * {@link ScheduleConfig}, chosen by `name`.
 */
export const scheduleConfigSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('constant'), value: z.number(), warmupSteps }),
  z.strictObject({
    name: z.literal('linear'),
    from: z.number(),
    to: z.number(),
    steps: z.int().positive(),
    warmupSteps,
  }),
  z.strictObject({
    name: z.literal('inverse-sqrt'),
    peak: z.number().positive(),
    warmupSteps: z.int().positive(),
  }),
  z.strictObject({
    name: z.literal('exponential'),
    initial: z.number(),
    rate: z.number().positive(),
    decaySteps: z.int().positive(),
    staircase: z.boolean().optional(),
    warmupSteps,
  }),
  z.strictObject({
    name: z.literal('step'),
    initial: z.number(),
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
