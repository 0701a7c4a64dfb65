import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer, type TestRedis } from '@s2s/serve/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, toyFlags } from '../../test/harness.js';
import { distinctOutputs, servedToyWorkspace } from '../../test/served-toy.js';

const bin = fileURLToPath(new URL('../../bin/s2s.js', import.meta.url));
const builtToy = fileURLToPath(new URL('../../dist/testing/index.js', import.meta.url));
let ws: Awaited<ReturnType<typeof servedToyWorkspace>>;
let redis: TestRedis;
let workers: ChildProcess[] = [];

beforeAll(async () => {
  [ws, redis] = await Promise.all([servedToyWorkspace(), startRedisServer()]);
  // 60 lines: enough jobs of 2 for two workers to share.
  writeFileSync(
    join(ws.dir, 'many.txt'),
    `${[...ws.inputs, ...ws.inputs, ...ws.inputs].join('\n')}\n`,
  );
});
afterAll(async () => {
  await redis?.stop();
  await ws?.cleanup();
});
afterEach(async () => {
  await Promise.all(workers.map(stop));
  workers = [];
});

/** A built `s2s worker` process; `log()` is what it said on stderr so far. */
async function worker(): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(
    bin,
    ['worker', 'run', '--queue', redis.url, '--lock-ms', '3000', '--stalled-ms', '1000'].concat([
      '--plugin',
      builtToy,
      '--backend',
      'wasm',
    ]),
    { cwd: ws.dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  workers.push(child);
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await said(child, () => log, 'worker ready');
  return { child, log: () => log };
}

function said(child: ChildProcess, log: () => string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (log().includes(text)) {
        child.stderr!.off('data', check);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    child.once('exit', (status) => reject(new Error(`worker exited (${status}): ${log()}`)));
    check();
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

const jobsDone = (log: string) => (log.match(/\) done$/gm) ?? []).length;

describe('s2s decode --queue with s2s worker', () => {
  it('prints exactly what s2s decode prints, in text and JSON, and two workers share the jobs', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    for (const format of [[], ['--json']]) {
      // Jobs of 2 lines against batches of 2: padding a batch moves the last digits of
      // scores, so only the same batches give the same JSON.
      const plain = await runCli(
        ['decode', 'run', 'many.txt', '--batch-size', '2', ...format, ...toyFlags],
        { cwd: ws.dir },
      );
      expect(distinctOutputs(plain.stdout)).toBeGreaterThan(10);
      const queued = await runCli(
        ['decode', 'run', 'many.txt', '--queue', redis.url, '--batch-size', '2', ...format],
        { cwd: ws.dir },
      );
      expect(queued.stderr).toContain('60/60 lines done');
      expect(queued).toMatchObject({ status: 0, stdout: plain.stdout });
    }
    // A worker logs a job done after the producer may already have its result: wait for
    // the 60 lines (2 × 30 jobs) to be logged. At least once: a job may run twice, never 0.
    for (let waited = 0; jobsDone(a.log()) + jobsDone(b.log()) < 60 && waited < 200; waited++) {
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(jobsDone(a.log()) + jobsDone(b.log())).toBeGreaterThanOrEqual(60);
    expect(jobsDone(a.log())).toBeGreaterThan(0);
    expect(jobsDone(b.log())).toBeGreaterThan(0);
  });

  it('a worker killed with kill -9 in the middle of the run loses nothing', async () => {
    const doomed = await worker();
    const plain = await runCli(['decode', 'run', 'many.txt', ...toyFlags], { cwd: ws.dir });
    const queued = runCli(
      ['decode', 'run', 'many.txt', '--queue', redis.url, '--chunk-size', '2'],
      {
        cwd: ws.dir,
      },
    );
    await said(doomed.child, doomed.log, 'active');
    doomed.child.kill('SIGKILL');
    const survivor = await worker();
    expect(await queued).toMatchObject({ status: 0, stdout: plain.stdout });
    expect(jobsDone(survivor.log())).toBeGreaterThan(0);
  });

  it('a line no worker can decode is an empty line and an error on stderr; the rest are decoded', async () => {
    await worker();
    const lines = [ws.inputs[0], ws.inputs[1], '', ws.inputs[2]];
    writeFileSync(join(ws.dir, 'poison.txt'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(ws.dir, 'good.txt'),
      `${[ws.inputs[0], ws.inputs[1], ws.inputs[2]].join('\n')}\n`,
    );
    const good = (
      await runCli(['decode', 'run', 'good.txt', ...toyFlags], { cwd: ws.dir })
    ).stdout.split('\n');
    const r = await runCli(['decode', 'run', 'poison.txt', '--queue', redis.url], { cwd: ws.dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${good[0]}\n${good[1]}\n\n${good[2]}\n`);
    expect(r.stderr).toMatch(
      /s2s: error: poison.txt: line 3: expected a non-empty string, got ""\n/,
    );
    expect(r.stderr).toContain('1 of 4 lines failed; each is an empty line in the output');
  });
});
