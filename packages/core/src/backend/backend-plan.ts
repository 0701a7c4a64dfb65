import { BackendError } from '../errors/errors.js';

/** A TensorFlow.js backend s2s can select. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** A backend to ask for; `auto` takes the fastest one available where the code runs. */
export type BackendChoice = 'auto' | BackendName;

/** Where code runs: Node.js, or a browser (or a worker in one). */
export type Platform = 'node' | 'browser';

/** The backends `useBackend` can select. */
export const backendChoices: readonly BackendChoice[] = [
  'auto',
  'tensorflow',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
];

/**
 * The platforms each choice works on: the native backend needs Node.js, WebGL and WebGPU a
 * browser; wasm and the pure-JS cpu backend run on both.
 */
export const backendPlatforms: Readonly<Record<BackendChoice, readonly Platform[]>> = {
  auto: ['node', 'browser'],
  tensorflow: ['node'],
  webgpu: ['browser'],
  webgl: ['browser'],
  wasm: ['node', 'browser'],
  cpu: ['node', 'browser'],
};

/**
 * The backends to try, fastest first: `auto` in Node.js is native TensorFlow, then wasm,
 * then cpu; in a browser WebGPU, then WebGL, then wasm, then cpu. Any other choice is tried
 * alone: asking for a backend by name never ends on another one.
 */
export function backendOrder(choice: BackendChoice, platform: Platform): readonly BackendName[] {
  if (choice !== 'auto') return [choice];
  return platform === 'node' ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

/**
 * The outcome of trying one backend. A failure is `expected` when the backend should have
 * worked here (its package is installed, the platform offers it), so passing over it is
 * worth a warning; an optional backend that is simply not installed is only a note.
 */
export type BackendAttempt =
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly problem: string; readonly expected: boolean };

/** The backend {@link planBackend} settled on, with what was passed over on the way. */
export interface BackendOutcome {
  readonly name: BackendName;
  readonly detail?: string;
  /** Backends that were not there to try (an optional package not installed). */
  readonly notes: readonly string[];
  /** Backends that should have worked and did not, in the order tried. */
  readonly failed: readonly BackendName[];
  /** Why each of `failed` was passed over; each one was also sent to `warn`. */
  readonly warnings: readonly string[];
}

/**
 * Tries the backends of `order` one after another with `attempt` and settles on the first
 * that starts. A single backend (one asked for by name) that fails is a
 * {@link BackendError}; in a longer order, passing over a backend whose failure was
 * `expected` calls `warn` with the reason and the backend taken instead, so a slower
 * fall-back is never silent. When none starts, the error lists every reason.
 */
export async function planBackend(
  order: readonly BackendName[],
  attempt: (name: BackendName) => Promise<BackendAttempt>,
  warn: (message: string) => void,
): Promise<BackendOutcome> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const failed: BackendName[] = [];
  const failures: string[] = [];
  for (const [i, name] of order.entries()) {
    const result = await attempt(name);
    if (result.ok) {
      return {
        name,
        ...(result.detail ? { detail: result.detail } : {}),
        notes,
        failed,
        warnings,
      };
    }
    if (order.length === 1) {
      throw new BackendError(`backend '${name}' is unavailable: ${result.problem}`);
    }
    failures.push(`${name}: ${result.problem}`);
    const next = order[i + 1];
    if (next === undefined) break;
    if (result.expected) {
      failed.push(name);
      const warning = `s2s: backend '${name}' failed to start (${result.problem}); falling back to '${next}'`;
      warnings.push(warning);
      warn(warning);
    } else {
      notes.push(result.problem);
    }
  }
  throw new BackendError(`no backend could be started (${failures.join('; ')})`);
}
