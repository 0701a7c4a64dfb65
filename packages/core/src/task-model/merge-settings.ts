import type { TaskSettings } from '../contracts/task.js';

/**
 * A task's settings overridden key by key: nested objects merge, anything else (numbers,
 * strings, arrays) replaces. A component whose `name` changes is replaced whole, since one
 * plugin's options mean nothing to another. The one merge every entry point uses (a
 * `--config` file over a task's defaults, an evaluation's `data` and `search` over a saved
 * model's settings).
 */
export function mergeSettings(
  defaults: TaskSettings,
  override: Partial<TaskSettings> | Readonly<Record<string, unknown>>,
): TaskSettings {
  return merge(defaults, override) as unknown as TaskSettings;
}

function merge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  if ('name' in override && override.name !== base.name) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
