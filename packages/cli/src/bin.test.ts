import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@s2s/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toyWorkspace } from '../test/harness.js';
import './testing/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  bin: { s2s: string };
};
/** The file npm links as `s2s`, run as a shell would run it: by its `#!` line. */
const bin = fileURLToPath(new URL(`../${pkg.bin.s2s}`, import.meta.url));
const toyPlugin = fileURLToPath(new URL('../dist/testing/index.js', import.meta.url));
let ws: Awaited<ReturnType<typeof toyWorkspace>>;

/** Runs the built `s2s`; `whenSaid` is called once stderr contains a string. */
function s2s(
  args: string[],
  whenSaid?: { text: string; act: (child: ChildProcess) => void },
  options: { closeStdout?: boolean; file?: string } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(options.file ?? bin, args, {
    cwd: ws.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (options.closeStdout) child.stdout!.destroy();
  let stdout = '';
  let stderr = '';
  let said = false;
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => {
    stderr += c;
    if (whenSaid && !said && stderr.includes(whenSaid.text)) {
      said = true;
      whenSaid.act(child);
    }
  });
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

beforeAll(async () => {
  ws = await toyWorkspace();
});
afterAll(() => ws.cleanup());

describe('the built s2s binary', () => {
  it('is a Node.js script that prints its version', async () => {
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const r = await s2s(['--version']);
    expect(r).toMatchObject({ status: 0, stdout: '0.0.0\n' });
  });

  it('is executable as committed, so the link npm makes at install time works before a build', () => {
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
  });

  it('says how to build when dist/ is missing, as in a fresh checkout', async () => {
    const bare = join(ws.dir, 'unbuilt', 'bin');
    mkdirSync(bare, { recursive: true });
    copyFileSync(bin, join(bare, 's2s.js'));
    const r = await s2s(['--version'], undefined, { file: join(bare, 's2s.js') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^s2s: error: the CLI is not built .*run "npm run build" first\n$/);
  });

  it('exits with status 2 and one line for a command line that does not parse', async () => {
    const r = await s2s(['trian', 'toy-reverse']);
    expect(r).toMatchObject({
      status: 2,
      stderr: "s2s: error: unknown command 'trian'\n(Did you mean train?)\n",
    });
  });

  it('stops quietly when its reader closes the pipe, as `s2s list | head -1` does', async () => {
    const r = await s2s(['list', '--plugin', toyPlugin], undefined, { closeStdout: true });
    expect(r).toMatchObject({ status: 0, stderr: '' });
  });

  it('on Ctrl-C finishes the step, saves a loadable checkpoint, exits 130, and resumes', async () => {
    const common = [
      '--data',
      'train.tsv',
      '--out',
      'run',
      '--plugin',
      toyPlugin,
      '--backend',
      'wasm',
    ];
    const r = await s2s(['train', 'toy-reverse', ...common, '--epochs', '50'], {
      text: 'toy-reverse on',
      act: (child) => setTimeout(() => child.kill('SIGINT'), 500),
    });
    expect(r.stderr).toContain('stopping after this step to save a checkpoint');
    expect(r.stderr).toMatch(
      /interrupted at step \d+ \(epoch \d+, batch \d+\); checkpoint saved in /,
    );
    expect(r.status).toBe(130);
    const { model, metadata } = await loadModel(join(ws.dir, 'run', 'checkpoint', 'model'));
    expect(metadata.task).toBe('toy-reverse');
    model.dispose();
    const epoch = Number(/epoch (\d+),/.exec(r.stderr)![1]);
    const resumed = await s2s([
      'train',
      'toy-reverse',
      ...common,
      '--resume',
      '--epochs',
      String(epoch),
    ]);
    expect(resumed.stderr).toContain(`resuming run at epoch ${epoch}`);
    expect(resumed).toMatchObject({ status: 0, stdout: `${join('run', 'model')}\n` });
  });
});
