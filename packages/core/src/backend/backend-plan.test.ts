import { describe, expect, it } from 'vitest';
import { BackendError } from '../errors/errors.js';
import {
  type BackendAttempt,
  type BackendName,
  backendChoices,
  backendOrder,
  backendPlatforms,
  planBackend,
} from './backend-plan.js';

/** An `attempt` that answers from a table and records what was tried, in order. */
function scripted(results: Partial<Record<BackendName, BackendAttempt>>) {
  const tried: BackendName[] = [];
  const attempt = async (name: BackendName): Promise<BackendAttempt> => {
    tried.push(name);
    const result = results[name];
    if (!result) throw new Error(`test script has no answer for '${name}'`);
    return result;
  };
  return { tried, attempt };
}

const ok: BackendAttempt = { ok: true };
const broken = (problem: string): BackendAttempt => ({ ok: false, problem, expected: true });
const absent = (problem: string): BackendAttempt => ({ ok: false, problem, expected: false });

describe('backendOrder', () => {
  it('tries native, wasm, then cpu for auto in Node.js', () => {
    expect(backendOrder('auto', 'node')).toEqual(['tensorflow', 'wasm', 'cpu']);
  });

  it('tries webgpu, webgl, wasm, then cpu for auto in a browser', () => {
    expect(backendOrder('auto', 'browser')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('tries a backend asked for by name alone, on either platform', () => {
    for (const choice of backendChoices.filter((c) => c !== 'auto')) {
      expect(backendOrder(choice, 'node')).toEqual([choice]);
      expect(backendOrder(choice, 'browser')).toEqual([choice]);
    }
  });

  it('only puts a backend in an auto order on a platform that offers it', () => {
    for (const platform of ['node', 'browser'] as const) {
      for (const name of backendOrder('auto', platform)) {
        expect(backendPlatforms[name], `${name} on ${platform}`).toContain(platform);
      }
    }
  });
});

describe('planBackend', () => {
  it('takes the first backend that starts and tries nothing after it', async () => {
    const { tried, attempt } = scripted({ webgpu: absent('not registered'), webgl: ok });
    const warnings: string[] = [];
    const outcome = await planBackend(backendOrder('auto', 'browser'), attempt, (w) =>
      warnings.push(w),
    );
    expect(outcome.name).toBe('webgl');
    expect(tried).toEqual(['webgpu', 'webgl']);
    // webgpu's package was never installed: a note, not a warning
    expect(outcome.notes).toEqual(['not registered']);
    expect(outcome.failed).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns, naming the reason and the backend taken instead, when wasm files are not served', async () => {
    const { tried, attempt } = scripted({
      tensorflow: absent('@tensorflow/tfjs-node is not installed'),
      wasm: broken('its .wasm files could not be loaded from /wasm/'),
      cpu: ok,
    });
    const warnings: string[] = [];
    const outcome = await planBackend(backendOrder('auto', 'node'), attempt, (w) =>
      warnings.push(w),
    );
    expect(tried).toEqual(['tensorflow', 'wasm', 'cpu']);
    expect(outcome.name).toBe('cpu');
    expect(warnings).toEqual([
      "s2s: backend 'wasm' failed to start (its .wasm files could not be loaded from /wasm/); falling back to 'cpu'",
    ]);
    expect(outcome.warnings).toEqual(warnings);
    expect(outcome.failed).toEqual(['wasm']);
    expect(outcome.notes).toEqual(['@tensorflow/tfjs-node is not installed']);
  });

  it('gives one warning per backend passed over that should have worked', async () => {
    const { attempt } = scripted({
      webgpu: broken('no adapter'),
      webgl: broken('no WebGL context'),
      wasm: ok,
    });
    const warnings: string[] = [];
    const outcome = await planBackend(backendOrder('auto', 'browser'), attempt, (w) =>
      warnings.push(w),
    );
    expect(outcome.name).toBe('wasm');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/'webgpu'.*no adapter.*falling back to 'webgl'/);
    expect(warnings[1]).toMatch(/'webgl'.*no WebGL context.*falling back to 'wasm'/);
  });

  it('never falls back from a backend asked for by name: a typed error with the reason', async () => {
    const { tried, attempt } = scripted({ wasm: broken('its .wasm files could not be loaded') });
    const warnings: string[] = [];
    const plan = planBackend(backendOrder('wasm', 'browser'), attempt, (w) => warnings.push(w));
    await expect(plan).rejects.toThrow(BackendError);
    await expect(plan).rejects.toThrow(
      "backend 'wasm' is unavailable: its .wasm files could not be loaded",
    );
    expect(tried).toEqual(['wasm']);
    expect(warnings).toEqual([]);
  });

  it('is an error listing every reason when no backend starts', async () => {
    const { attempt } = scripted({
      tensorflow: absent('not installed'),
      wasm: broken('no .wasm'),
      cpu: broken('cpu failed'),
    });
    const plan = planBackend(backendOrder('auto', 'node'), attempt, () => {});
    await expect(plan).rejects.toThrow(BackendError);
    await expect(plan).rejects.toThrow(
      'no backend could be started (tensorflow: not installed; wasm: no .wasm; cpu: cpu failed)',
    );
  });
});
