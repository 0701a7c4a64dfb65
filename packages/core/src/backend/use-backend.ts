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
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    const problem = await tryNative();
    if (!problem)
      return { name: 'tensorflow', description: 'tensorflow (native @tensorflow/tfjs-node)' };
    if (choice === 'tensorflow')
      throw new BackendError(`backend 'tensorflow' is unavailable: ${problem}`);
    notes.push(problem);
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

async function tryNative(): Promise<string | undefined> {
  const moduleName = '@tensorflow/tfjs-node';
  try {
    await import(moduleName);
  } catch {
    return `${moduleName} is not installed`;
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return 'the tensorflow backend failed to initialise';
  } catch (error) {
    return `the tensorflow backend failed to initialise (${(error as Error).message})`;
  }
  await tf.ready();
  return undefined;
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
