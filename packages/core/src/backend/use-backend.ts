import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { parseOptions } from '../errors/options.js';
import {
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  backendChoices,
  backendOrder,
  backendPlatforms,
  type Platform,
  planBackend,
} from './backend-plan.js';
import { installWasmKernels } from './wasm-kernels.js';

/** Where {@link useBackend} finds what it loads. */
export interface BackendOptions {
  /**
   * Where the wasm backend fetches its `.wasm` files: a folder URL ending in `/` (e.g.
   * `'/wasm/'`), or a map from each file name (`tfjs-backend-wasm.wasm`,
   * `tfjs-backend-wasm-simd.wasm`, `tfjs-backend-wasm-threaded-simd.wasm`) to its URL.
   * Default: inside the npm package in Node.js, beside the page's script in a browser.
   * Copy them from `@tensorflow/tfjs-backend-wasm/dist` to where your server serves them.
   * Read when the wasm backend first starts; later calls cannot move it.
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /**
   * Receives each warning `auto` gives when a backend that should have started did not and
   * a slower one is taken instead. Default: `console.warn`.
   */
  readonly onWarning?: (message: string) => void;
}

/** {@link BackendOptions} as a zod schema. */
export const backendOptions = z.strictObject({
  wasmPaths: z
    .union([z.string(), z.record(z.string(), z.string())])
    .optional()
    .describe("Where the wasm backend fetches its '.wasm' files: a folder URL or a map per file"),
  onWarning: z
    .custom<(message: string) => void>((v) => typeof v === 'function', 'expected a function')
    .optional()
    .describe('Receives each warning auto gives. Default console.warn'),
});

/** What {@link useBackend} selected, and why. */
export interface BackendInfo {
  readonly name: BackendName;
  /** One line for logs, e.g. `wasm (SIMD; @tensorflow/tfjs-node is not installed)`. */
  readonly description: string;
  /** The warnings given on the way (also sent to `onWarning`); empty when none. */
  readonly warnings: readonly string[];
}

/**
 * Selects the TensorFlow.js backend before any op runs. `auto` takes, in Node.js, the
 * native `@tensorflow/tfjs-node` backend when it is installed, else WebAssembly (shipped
 * inside its npm package, so it works offline), else the pure-JS cpu backend; in a browser
 * WebGPU (when `@tensorflow/tfjs-backend-webgpu` was imported), else WebGL, else wasm, else
 * cpu. A backend asked for by name that cannot start is a {@link BackendError}; when `auto`
 * passes over one that should have started (wasm whose `.wasm` files are not served, a
 * browser without WebGL) it warns through `onWarning`. On wasm it also installs the kernels
 * that make training work and fast there ({@link installWasmKernels}).
 *
 * Library code never calls this; applications, the CLI and tests do.
 */
export function useBackend(
  choice: BackendChoice = 'auto',
  options: BackendOptions = {},
): Promise<BackendInfo> {
  // One selection at a time: two started together (two runs in one process) would
  // initialise the same backend at once, and one of them fail.
  const selection = selecting.then(() => selectBackend(choice, options));
  selecting = selection.catch(() => undefined);
  return selection;
}

let selecting: Promise<unknown> = Promise.resolve();

async function selectBackend(choice: BackendChoice, options: BackendOptions): Promise<BackendInfo> {
  parseOptions('useBackend', z.enum(backendChoices as [BackendChoice]), choice, 'backend');
  parseOptions('useBackend', backendOptions, options);
  backendChosen = true;
  const platform = currentPlatform();
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const outcome = await planBackend(
    backendOrder(choice, platform),
    (name) => attempt(name, { platform, options, alone: choice !== 'auto' }),
    warn,
  );
  const reasons = [...outcome.notes];
  if (outcome.failed.length > 0) reasons.push(`${outcome.failed.join(' and ')} failed to start`);
  const facts =
    outcome.name === 'wasm'
      ? [(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD']
      : outcome.name === 'cpu'
        ? ['pure JavaScript, slow']
        : outcome.detail
          ? [outcome.detail]
          : [];
  const all = [...facts, ...reasons];
  return {
    name: outcome.name,
    description: all.length ? `${outcome.name} (${all.join('; ')})` : outcome.name,
    warnings: outcome.warnings,
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

interface AttemptContext {
  readonly platform: Platform;
  readonly options: BackendOptions;
  /** The backend was asked for by name, so its error should say how to get it. */
  readonly alone: boolean;
}

async function attempt(name: BackendName, context: AttemptContext): Promise<BackendAttempt> {
  if (!backendPlatforms[name].includes(context.platform)) {
    const needs = context.platform === 'node' ? 'a browser' : 'Node.js';
    return { ok: false, problem: `it needs ${needs}`, expected: false };
  }
  switch (name) {
    case 'tensorflow':
      return tryNative(context.alone);
    case 'webgpu':
      return tryWebgpu(context.alone);
    case 'webgl':
      return start('webgl', 'no WebGL context could be created');
    case 'wasm':
      return tryWasm(context.options.wasmPaths);
    case 'cpu': {
      const started = await start('cpu', 'it failed to initialise');
      // The cpu backend greets its first Node.js user with a banner recommending tfjs-node;
      // the description already says so, once, where the caller chooses to print it.
      const cpu = tf.backend() as { firstUse?: boolean };
      if (started.ok && 'firstUse' in cpu) cpu.firstUse = false;
      return started;
    }
  }
}

function currentPlatform(): Platform {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string'
    ? 'node'
    : 'browser';
}

/** Switches to a registered backend; its factory's failure becomes the `problem`. */
async function start(name: BackendName, problem: string): Promise<BackendAttempt> {
  try {
    if (!(await tf.setBackend(name))) return { ok: false, problem, expected: true };
  } catch (error) {
    return { ok: false, problem: `${problem} (${(error as Error).message})`, expected: true };
  }
  await tf.ready();
  return { ok: true };
}

async function tryNative(alone: boolean): Promise<BackendAttempt> {
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
  if (!loaded) {
    const install = alone ? `; ${nativeInstallHint()}` : '';
    return {
      ok: false,
      problem: `@tensorflow/tfjs-node is not installed${install}`,
      expected: false,
    };
  }
  const started = await start('tensorflow', 'the tensorflow backend failed to initialise');
  return started.ok ? { ok: true, detail: `native ${loaded}` } : started;
}

/**
 * WebGPU lives in its own package, which s2s does not bundle for everyone: an application
 * that wants it installs `@tensorflow/tfjs-backend-webgpu` and imports it once.
 */
async function tryWebgpu(alone: boolean): Promise<BackendAttempt> {
  if (!hasFactory('webgpu')) {
    const install =
      "; install @tensorflow/tfjs-backend-webgpu and import '@tensorflow/tfjs-backend-webgpu' once before useBackend";
    return {
      ok: false,
      problem: `@tensorflow/tfjs-backend-webgpu is not imported${alone ? install : ''}`,
      expected: false,
    };
  }
  const browser = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (!browser?.gpu) {
    return { ok: false, problem: 'this browser has no WebGPU (navigator.gpu)', expected: true };
  }
  return start('webgpu', 'no WebGPU adapter could be obtained');
}

async function tryWasm(wasmPaths: BackendOptions['wasmPaths']): Promise<BackendAttempt> {
  const before = crashHandlers();
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The paths count only before the backend's first start; later ones cannot move it.
    if (wasmPaths !== undefined && tf.findBackend('wasm') === null) {
      wasm.setWasmPaths(wasmPaths as string | Record<string, string>);
    }
    const where =
      wasmPaths === undefined
        ? 'the default location'
        : typeof wasmPaths === 'string'
          ? wasmPaths
          : 'the given wasmPaths';
    const started = await start(
      'wasm',
      `its .wasm files could not be loaded from ${where}; serve the files of @tensorflow/tfjs-backend-wasm/dist there or pass wasmPaths`,
    );
    if (!started.ok) return started;
  } catch (error) {
    return {
      ok: false,
      problem: `the wasm backend failed to load (${(error as Error).message})`,
      expected: true,
    };
  } finally {
    removeHandlersSince(before);
  }
  installWasmKernels();
  return { ok: true };
}

function hasFactory(name: string): boolean {
  try {
    return tf.findBackendFactory(name) != null;
  } catch {
    return false;
  }
}

const crashEvents = ['uncaughtException', 'unhandledRejection'] as const;

function crashHandlers(): Map<string, unknown[]> {
  if (currentPlatform() !== 'node') return new Map();
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
  if (currentPlatform() !== 'node') return;
  for (const event of crashEvents) {
    const kept = before.get(event) ?? [];
    for (const listener of listenersOf(event)) {
      if (!kept.includes(listener)) process.removeListener(event, listener);
    }
  }
}
