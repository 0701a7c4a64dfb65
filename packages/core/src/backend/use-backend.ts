import * as tf from '@tensorflow/tfjs';
import { oneOf } from '../errors/assert.js';
import { BackendError } from '../errors/errors.js';
import { installWasmKernels } from './wasm-kernels.js';

/** A backend to ask for; `auto` takes the fastest one available. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The backends {@link useBackend} can select. */
export const backendChoices: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** What {@link useBackend} selected, and why. */
export interface BackendInfo {
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  /** One line for logs, e.g. `wasm (SIMD; @tensorflow/tfjs-node is not installed)`. */
  readonly description: string;
}

/**
 * Selects the TensorFlow.js backend before any op runs. `auto` takes the native
 * `@tensorflow/tfjs-node` backend when it is installed, else WebAssembly (shipped inside
 * its npm package, so it works offline), else the pure-JS cpu backend. On wasm it also
 * installs the kernels that make training work and fast there ({@link installWasmKernels}).
 *
 * Library code never calls this; applications, the CLI and tests do.
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  oneOf('useBackend', 'backend', choice, backendChoices);
  backendChosen = true;
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await tryNative();
    if (native.ok)
      return { name: 'tensorflow', description: `tensorflow (native ${native.loaded})` };
    if (choice === 'tensorflow') {
      const install = native.missing ? `; ${nativeInstallHint()}` : '';
      throw new BackendError(`backend 'tensorflow' is unavailable: ${native.problem}${install}`);
    }
    notes.push(native.problem);
  }
  if (choice === 'auto' || choice === 'wasm') {
    const problem = await tryWasm();
    if (!problem) {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return {
        name: 'wasm',
        description: `wasm (${[simd ? 'SIMD' : 'no SIMD', ...notes].join('; ')})`,
      };
    }
    if (choice === 'wasm') throw new BackendError(`backend 'wasm' is unavailable: ${problem}`);
    notes.push(problem);
  }
  if (!(await tf.setBackend('cpu'))) throw new BackendError("backend 'cpu' failed to initialise");
  await tf.ready();
  // The cpu backend greets its first Node.js user with a banner recommending tfjs-node;
  // the description below already says so, once, where the caller chooses to print it.
  const cpu = tf.backend() as { firstUse?: boolean };
  if ('firstUse' in cpu) cpu.firstUse = false;
  return {
    name: 'cpu',
    description: `cpu (pure JavaScript, slow${notes.length ? `; ${notes.join('; ')}` : ''})`,
  };
}

/**
 * The npm packages that provide the native backend, tried in this order: the CUDA build
 * when someone installed it on purpose, else the CPU build. Both register `tensorflow`.
 */
export const nativeBackendPackages = [
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
] as const;

/**
 * How to install the native backend, at the version matching the TensorFlow.js in use
 * (a different version would bring a second, separate copy of TensorFlow.js).
 */
export function nativeInstallHint(): string {
  const version = tf.version_core;
  return `install it with "npm install @tensorflow/tfjs-node@${version}" (or @tensorflow/tfjs-node-gpu@${version} for an NVIDIA GPU with CUDA); s2s then picks it up by itself`;
}

type NativeAttempt =
  | { readonly ok: true; readonly loaded: string }
  | { readonly ok: false; readonly problem: string; readonly missing: boolean };

let backendChosen = false;
let warned = false;

/**
 * What to tell someone about to train on `backend` without having called
 * {@link useBackend}: TensorFlow.js then runs its plain-JS cpu backend, about 20× slower
 * than wasm, without a word. Nothing when a backend was chosen or a fast one runs.
 */
export function backendAdvice(chosen: boolean, backend: string): string | undefined {
  if (chosen || backend !== 'cpu') return undefined;
  return "s2s: training on TensorFlow.js's plain-JS cpu backend, about 20× slower than wasm: call `await useBackend('auto')` from @s2s/core before building models (useBackend('cpu') to choose it and silence this)";
}

/** Warns once per process (on stderr) when training starts on a backend nobody chose. */
export function warnIfBackendUnchosen(): void {
  if (warned) return;
  const advice = backendAdvice(backendChosen, tf.getBackend());
  if (advice === undefined) return;
  warned = true;
  console.warn(advice);
}

async function tryNative(): Promise<NativeAttempt> {
  let loaded: string | undefined;
  for (const moduleName of nativeBackendPackages) {
    try {
      await import(moduleName);
      loaded = moduleName;
      break;
    } catch {
      // not installed (or its native library failed to load): try the next one
    }
  }
  if (!loaded)
    return { ok: false, problem: '@tensorflow/tfjs-node is not installed', missing: true };
  try {
    if (!(await tf.setBackend('tensorflow')))
      return { ok: false, problem: 'the tensorflow backend failed to initialise', missing: false };
  } catch (error) {
    const reason = (error as Error).message;
    return {
      ok: false,
      problem: `the tensorflow backend failed to initialise (${reason})`,
      missing: false,
    };
  }
  await tf.ready();
  return { ok: true, loaded };
}

async function tryWasm(): Promise<string | undefined> {
  const before = crashHandlers();
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend failed to initialise';
    await tf.ready();
  } catch (error) {
    return `the wasm backend failed to load (${(error as Error).message})`;
  } finally {
    removeHandlersSince(before);
  }
  installWasmKernels();
  return undefined;
}

const crashEvents = ['uncaughtException', 'unhandledRejection'] as const;

function crashHandlers(): Map<string, unknown[]> {
  return new Map(crashEvents.map((event) => [event, listenersOf(event)]));
}

function listenersOf(event: (typeof crashEvents)[number]): ((...args: unknown[]) => void)[] {
  return process.listeners(event as 'uncaughtException') as ((...args: unknown[]) => void)[];
}

/**
 * The wasm backend's Emscripten module installs `uncaughtException` and
 * `unhandledRejection` handlers that rethrow, which makes Node print `throw ex; ^ undefined`
 * instead of the error's message and stack. Node's own reporting is what users need, so
 * the handlers added while the backend loaded are removed again.
 */
function removeHandlersSince(before: Map<string, unknown[]>): void {
  for (const event of crashEvents) {
    const kept = before.get(event) ?? [];
    for (const listener of listenersOf(event)) {
      if (!kept.includes(listener)) process.removeListener(event, listener);
    }
  }
}
