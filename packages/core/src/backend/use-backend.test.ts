import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError, ConfigError } from '../errors/errors.js';
import { backendAdvice, useBackend } from './use-backend.js';

describe('useBackend', () => {
  it('selects cpu and wasm on request', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await useBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.description).toMatch(/^wasm \(/);
  });

  it('takes selections started together one after another: the last one asked wins', async () => {
    const [wasm, cpu] = await Promise.all([useBackend('wasm'), useBackend('cpu')]);
    expect([wasm.name, cpu.name]).toEqual(['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
    const [again, last] = await Promise.all([useBackend('wasm'), useBackend('wasm')]);
    expect([again.name, last.name]).toEqual(['wasm', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto falls back to wasm and says why when tfjs-node is absent', async () => {
    let nativeInstalled = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      nativeInstalled = false;
    }
    const info = await useBackend('auto');
    if (nativeInstalled) {
      expect(info.name).toBe('tensorflow');
    } else {
      expect(info.name).toBe('wasm');
      expect(info.description).toContain('@tensorflow/tfjs-node is not installed');
    }
  });

  it('refuses the native backend with a typed error when it is not installed', async () => {
    let nativeInstalled = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      nativeInstalled = false;
    }
    if (!nativeInstalled) {
      await expect(useBackend('tensorflow')).rejects.toThrow(BackendError);
      await expect(useBackend('tensorflow')).rejects.toThrow(/tfjs-node is not installed/);
      // … and says how to install the build that matches the TensorFlow.js in use.
      await expect(useBackend('tensorflow')).rejects.toThrow(
        `npm install @tensorflow/tfjs-node@${tf.version_core}`,
      );
    }
  });

  it('advises useBackend only to someone who trains on the cpu backend without choosing it', () => {
    expect(backendAdvice(false, 'cpu')).toMatch(/plain-JS cpu backend.*useBackend\('auto'\)/);
    expect(backendAdvice(true, 'cpu')).toBeUndefined(); // chosen on purpose
    expect(backendAdvice(false, 'wasm')).toBeUndefined(); // fast already
    expect(backendAdvice(false, 'tensorflow')).toBeUndefined();
  });

  it('rejects an unknown backend name, listing the choices', async () => {
    await expect(useBackend('gpu' as never)).rejects.toThrow(ConfigError);
    await expect(useBackend('gpu' as never)).rejects.toThrow(
      /option 'backend': .*"auto"\|"tensorflow"\|"webgpu"\|"webgl"\|"wasm"\|"cpu", got 'gpu'/,
    );
  });

  it('rejects a mistyped option, saying which it meant', async () => {
    await expect(useBackend('cpu', { wasmPath: '/wasm/' } as never)).rejects.toThrow(
      /useBackend: unknown option 'wasmPath' \(did you mean 'wasmPaths'\?\)/,
    );
    await expect(useBackend('cpu', { onWarning: 'log' as never })).rejects.toThrow(
      "useBackend: option 'onWarning': expected a function, got 'log'",
    );
  });

  it('refuses the browser-only backends in Node.js, saying they need a browser', async () => {
    for (const name of ['webgl', 'webgpu'] as const) {
      await expect(useBackend(name)).rejects.toThrow(BackendError);
      await expect(useBackend(name)).rejects.toThrow(
        `backend '${name}' is unavailable: it needs a browser`,
      );
    }
  });

  it('auto warns of nothing when only the optional native backend is missing', async () => {
    const warnings: string[] = [];
    const info = await useBackend('auto', { onWarning: (w) => warnings.push(w) });
    expect(info.warnings).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('leaves no crash handler of the wasm backend behind, so errors keep their message', async () => {
    await useBackend('wasm');
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      const listeners: unknown[] = process.listeners(event as 'uncaughtException');
      const rethrowing = listeners.filter((l) => /throw (ex|reason)/.test(String(l)));
      expect(rethrowing, event).toEqual([]);
    }
  });
});
