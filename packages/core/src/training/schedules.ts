import { numberIn, positiveInt } from '../errors/assert.js';
import { ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { scheduleConfigSchema } from './trainer-settings.js';

/**
 * A value that changes over training: a pure function of the 1-based step number t (the
 * optimizer update about to be made). Because it holds no state, a checkpoint only needs
 * the step count to resume it exactly.
 */
export type Schedule = (step: number) => number;

/** The same value at every step. */
export function constantSchedule(value: number): Schedule {
  numberIn('constantSchedule', 'value', value, -Infinity, Infinity);
  return () => value;
}

/** Linear from `from` at step 1 to `to` at step `steps`, then `to`. */
export function linearSchedule(options: { from: number; to: number; steps: number }): Schedule {
  const { from, to } = options;
  const steps = positiveInt('linearSchedule', 'steps', options.steps);
  return (t) => (steps === 1 || t >= steps ? to : from + ((to - from) * (t - 1)) / (steps - 1));
}

/**
 * The Transformer schedule (Vaswani et al. 2017), normalised to peak at `peak`:
 * lr(t) = peak · min(t / w, √(w / t)): linear warm-up over w steps, then decay ∝ 1/√t.
 */
export function inverseSqrtSchedule(options: { peak: number; warmupSteps: number }): Schedule {
  const peak = numberIn('inverseSqrtSchedule', 'peak', options.peak, 0, Infinity);
  const w = positiveInt('inverseSqrtSchedule', 'warmupSteps', options.warmupSteps);
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
  const initial = numberIn('exponentialDecay', 'initial', options.initial, 0, Infinity);
  const rate = numberIn('exponentialDecay', 'rate', options.rate, 0, Infinity);
  const every = positiveInt('exponentialDecay', 'decaySteps', options.decaySteps);
  const staircase = options.staircase ?? false;
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
  const w = positiveInt('withWarmup', 'steps', steps);
  return (t) => (t <= w ? (after(1) * t) / w : after(t - w));
}

/**
 * Scheduled sampling's inverse sigmoid decay of teacher forcing (Bengio et al. 2015), as the
 * probability of feeding the model's own token: p(t) = 1 − k / (k + exp(t / k)), k ≥ 1.
 */
export function inverseSigmoidSampling(k: number): Schedule {
  numberIn('inverseSigmoidSampling', 'k', k, 1, Infinity);
  return (t) => 1 - k / (k + Math.exp(t / k));
}

/**
 * Scheduled sampling's exponential decay of teacher forcing (Bengio et al. 2015), as the
 * probability of feeding the model's own token: p(t) = 1 − k^t, 0 < k < 1.
 */
export function exponentialSampling(k: number): Schedule {
  if (!(k > 0 && k < 1))
    throw new ConfigError(`exponentialSampling: option 'k' must be in (0, 1), got ${k}`);
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
      schedule = linearSchedule(config);
      break;
    case 'inverse-sqrt':
      return inverseSqrtSchedule(config);
    case 'exponential':
      schedule = exponentialDecay(config);
      break;
    case 'step':
      schedule = stepDecay(config);
      break;
  }
  return config.warmupSteps === undefined ? schedule : withWarmup(schedule, config.warmupSteps);
}

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
  if (typeof given === 'number') {
    numberIn(owner, option, given, min, max);
    return () => given;
  }
  const value = typeof given === 'object' && given !== null ? scheduleFromConfig(given) : given;
  if (typeof value !== 'function') {
    throw new ConfigError(
      `${owner}: option '${option}' must be a number, a schedule (step) => number or a schedule config { name, … }`,
    );
  }
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
