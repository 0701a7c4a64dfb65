import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import {
  exponentialDecayOptions,
  inverseSqrtScheduleOptions,
  linearScheduleOptions,
  scheduleConfigSchema,
} from './trainer-settings.js';

/**
 * A value that changes over training: a pure function of the 1-based step number t (the
 * optimizer update about to be made). Because it holds no state, a checkpoint only needs
 * the step count to resume it exactly.
 */
export type Schedule = (step: number) => number;

/** The same value at every step. */
export function constantSchedule(value: number): Schedule {
  const v = parseOptions('constantSchedule', z.number(), value, 'value');
  return () => v;
}

/** Linear from `from` at step 1 to `to` at step `steps`, then `to`. */
export function linearSchedule(options: { from: number; to: number; steps: number }): Schedule {
  const { from, to, steps } = parseOptions('linearSchedule', linearScheduleOptions, options);
  return (t) => (steps === 1 || t >= steps ? to : from + ((to - from) * (t - 1)) / (steps - 1));
}

/**
 * The Transformer schedule (Vaswani et al. 2017), normalised to peak at `peak`:
 * lr(t) = peak · min(t / w, √(w / t)): linear warm-up over w steps, then decay ∝ 1/√t.
 */
export function inverseSqrtSchedule(options: { peak: number; warmupSteps: number }): Schedule {
  const o = parseOptions('inverseSqrtSchedule', inverseSqrtScheduleOptions, options);
  const { peak, warmupSteps: w } = o;
  return (t) => peak * Math.min(t / w, Math.sqrt(w / t));
}

/**
 * lr(t) = initial · rate^((t − 1) / decaySteps), the exponent floored when `staircase`
 * (TensorFlow's ExponentialDecay, counted from the first step).
 */
export function exponentialDecay(options: {
  initial: number;
  rate: number;
  decaySteps: number;
  staircase?: boolean;
}): Schedule {
  const o = parseOptions('exponentialDecay', exponentialDecayOptions, options);
  const { initial, rate, decaySteps: every, staircase } = o;
  return (t) => {
    const exponent = (t - 1) / every;
    return initial * rate ** (staircase ? Math.floor(exponent) : exponent);
  };
}

/** lr(t) = initial · factor^⌊(t − 1) / everySteps⌋: multiply by `factor` every `everySteps`. */
export function stepDecay(options: {
  initial: number;
  factor: number;
  everySteps: number;
}): Schedule {
  return exponentialDecay({
    initial: options.initial,
    rate: options.factor,
    decaySteps: options.everySteps,
    staircase: true,
  });
}

/**
 * Linear warm-up to `after`'s first value over `steps` steps, then `after`, which starts
 * counting at 1 again: lr(t) = after(1) · t / steps for t ≤ steps, else after(t − steps).
 */
export function withWarmup(after: Schedule, steps: number): Schedule {
  const w = parseOptions('withWarmup', z.int().positive(), steps, 'steps');
  return (t) => (t <= w ? (after(1) * t) / w : after(t - w));
}

/**
 * Scheduled sampling's inverse sigmoid decay of teacher forcing (Bengio et al. 2015), as the
 * probability of feeding the model's own token: p(t) = 1 − k / (k + exp(t / k)), k ≥ 1.
 */
export function inverseSigmoidSampling(k: number): Schedule {
  parseOptions('inverseSigmoidSampling', z.number().min(1), k, 'k');
  return (t) => 1 - k / (k + Math.exp(t / k));
}

/**
 * Scheduled sampling's exponential decay of teacher forcing (Bengio et al. 2015), as the
 * probability of feeding the model's own token: p(t) = 1 − k^t, 0 < k < 1.
 */
export function exponentialSampling(k: number): Schedule {
  parseOptions('exponentialSampling', z.number().gt(0).lt(1), k, 'k');
  return (t) => 1 - k ** t;
}

/**
 * A schedule written as JSON, so a config file can name one:
 * `{ "name": "inverse-sqrt", "peak": 0.001, "warmupSteps": 4000 }`. Every kind but
 * `inverse-sqrt` (which has its own) accepts `warmupSteps` to prepend a linear warm-up.
 */
export type ScheduleConfig =
  | { readonly name: 'constant'; readonly value: number; readonly warmupSteps?: number }
  | {
      readonly name: 'linear';
      readonly from: number;
      readonly to: number;
      readonly steps: number;
      readonly warmupSteps?: number;
    }
  | { readonly name: 'inverse-sqrt'; readonly peak: number; readonly warmupSteps: number }
  | {
      readonly name: 'exponential';
      readonly initial: number;
      readonly rate: number;
      readonly decaySteps: number;
      readonly staircase?: boolean;
      readonly warmupSteps?: number;
    }
  | {
      readonly name: 'step';
      readonly initial: number;
      readonly factor: number;
      readonly everySteps: number;
      readonly warmupSteps?: number;
    };

const scheduleNames = scheduleConfigSchema.options.map((o) => o.shape.name.value);

/** Builds the schedule a {@link ScheduleConfig} describes, rejecting unknown kinds and options. */
export function scheduleFromConfig(config: ScheduleConfig): Schedule {
  if (!scheduleNames.includes(config?.name)) {
    throw new ConfigError(
      `unknown schedule ${JSON.stringify(config?.name)}; known schedules: ${scheduleNames.join(', ')}`,
    );
  }
  parseOptions(`schedule '${config.name}'`, scheduleConfigSchema, config);
  let schedule: Schedule;
  switch (config.name) {
    case 'constant':
      schedule = constantSchedule(config.value);
      break;
    case 'linear':
      schedule = linearSchedule({ from: config.from, to: config.to, steps: config.steps });
      break;
    case 'inverse-sqrt':
      return inverseSqrtSchedule({ peak: config.peak, warmupSteps: config.warmupSteps });
    case 'exponential': {
      const { name: _, warmupSteps: _w, ...options } = config;
      schedule = exponentialDecay(options);
      break;
    }
    case 'step':
      schedule = stepDecay({
        initial: config.initial,
        factor: config.factor,
        everySteps: config.everySteps,
      });
      break;
  }
  return config.warmupSteps === undefined ? schedule : withWarmup(schedule, config.warmupSteps);
}

/**
 * A rate option's schema: a number in [min, max], a {@link ScheduleConfig} or (not in JSON)
 * a {@link Schedule} function, whose values {@link checkedSchedule} checks step by step.
 */
export function rateOption(min: number, max: number) {
  return z.union([z.number().min(min).max(max), scheduleConfigSchema, scheduleFunction]);
}

// Passed through as it is (z.function() would wrap it); a wrong type is reported as one,
// so that a union names its closer members' problems instead.
const scheduleFunction = z.unknown().check((ctx) => {
  if (typeof ctx.value !== 'function') {
    ctx.issues.push({ code: 'invalid_type', expected: 'function', input: ctx.value });
  }
}) as unknown as z.ZodType<Schedule>;

/**
 * Turns a number, schedule or {@link ScheduleConfig} option into a schedule whose every
 * value is checked to lie in [min, max], so a bad schedule fails at the step it goes wrong,
 * naming the option.
 */
export function checkedSchedule(
  owner: string,
  option: string,
  given: number | Schedule | ScheduleConfig,
  min: number,
  max: number,
): Schedule {
  if (typeof given === 'object' && given !== null) {
    // Its own check says which schedule names there are.
    return checkedValues(owner, option, scheduleFromConfig(given), min, max);
  }
  parseOptions(owner, rateOption(min, max), given, option);
  return typeof given === 'number' ? () => given : checkedValues(owner, option, given, min, max);
}

function checkedValues(
  owner: string,
  option: string,
  value: Schedule,
  min: number,
  max: number,
): Schedule {
  return (t) => {
    const v = value(t);
    if (typeof v !== 'number' || !(v >= min && v <= max)) {
      throw new ConfigError(
        `${owner}: schedule '${option}' gave ${v} at step ${t}; expected a number in [${min}, ${max}]`,
      );
    }
    return v;
  };
}
