import { existsSync } from 'node:fs';
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backendChoices, backendPlatforms } from '@s2s/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, toyFlags, trainedToyWorkspace } from '../../test/harness.js';
import { backendNames } from './program.js';

let ws: Awaited<ReturnType<typeof trainedToyWorkspace>>;
const cli = (args: string[], stdin?: string) =>
  runCli([...args, ...toyFlags], { cwd: ws.dir, ...(stdin !== undefined ? { stdin } : {}) });

/** The one line a failed run printed after the backend line; no stack trace. */
function failure(r: CliRun, status = 1): string {
  expect(r.status).toBe(status);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('s2s: backend'));
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

beforeAll(async () => {
  ws = await trainedToyWorkspace();
});
afterAll(() => ws.cleanup());

describe('bad input gets one clear line on stderr and a non-zero exit', () => {
  it('an unknown task lists the registered ones', async () => {
    const line = failure(await cli(['train', 'toy-revrese', '--data', 'train.tsv']));
    expect(line).toMatch(
      /^s2s: error: unknown task 'toy-revrese' \(did you mean 'toy-reverse'\?\); registered tasks: (.*, )?toy-reverse(, .*)? \(load a third-party task with --plugin <package>\)$/,
    );
    expect(existsSync(join(ws.dir, 'runs'))).toBe(false);
  });

  it('a missing model folder, or one without a model', async () => {
    expect(failure(await cli(['decode', 'nowhere'], '12\n'))).toBe(
      's2s: error: model folder nowhere does not exist',
    );
    expect(failure(await cli(['eval', '.', '--data', 'test.tsv']))).toBe(
      "s2s: error: . holds no s2s model: expected model.json there, or a run folder from 's2s train'",
    );
  });

  it('a corrupt model or checkpoint names the damaged file', async () => {
    await cp(join(ws.dir, 'run'), join(ws.dir, 'damaged'), { recursive: true });
    await truncate(join(ws.dir, 'damaged', 'model', 'weights.bin'), 100);
    const weights = failure(await cli(['decode', 'damaged'], '12\n'));
    expect(weights).toContain(`s2s: error: ${join(ws.dir, 'damaged', 'model', 'weights.bin')}: `);
    await writeFile(
      join(ws.dir, 'damaged', 'checkpoint', 'trainer.json'),
      '{"format": "s2s-training-check',
    );
    const resume = failure(
      await cli(['train', 'toy-reverse', '--data', 'train.tsv', '--out', 'damaged', '--resume']),
    );
    expect(resume).toContain(
      `s2s: error: ${join(ws.dir, 'damaged', 'checkpoint', 'trainer.json')}: has 30 bytes, `,
    );
    expect(resume).toContain('expected: the file is truncated');
    await writeFile(join(ws.dir, 'damaged', 'model', 'model.json'), '{"format": "s2s-mod');
    expect(failure(await cli(['eval', 'damaged', '--data', 'test.tsv']))).toContain(
      `${join(ws.dir, 'damaged', 'model', 'model.json')}: has 19 bytes, `,
    );
  });

  it('a model saved without checksums is refused, naming s2s seal, and loads once sealed', async () => {
    await cp(join(ws.dir, 'run', 'model'), join(ws.dir, 'old-model'), { recursive: true });
    await rm(join(ws.dir, 'old-model', 'checksums.json'));
    expect(failure(await cli(['decode', 'old-model'], '12\n'))).toContain(
      `checksums.json: is missing: every file of a model or checkpoint must be covered by checksums`,
    );
    const sealed = await runCli(['seal', 'old-model'], { cwd: ws.dir });
    expect(sealed.status).toBe(0);
    expect(sealed.stderr).toContain('recorded checksums of every file in old-model');
    const decoded = await cli(['decode', 'old-model'], '12\n');
    expect(decoded.status).toBe(0);
    expect(decoded.stdout.split('\n')).toHaveLength(2);
  });

  it('an empty input line names its line, and leaves an earlier --output file as it was', async () => {
    await writeFile(join(ws.dir, 'kept.txt'), 'previous outputs\n');
    const r = await cli(['decode', 'run', '-o', 'kept.txt'], '12\n\n34\n');
    expect(failure(r)).toBe('s2s: error: stdin:2: empty input line');
    expect(await readFile(join(ws.dir, 'kept.txt'), 'utf8')).toBe('previous outputs\n');
  });

  it('a binary input file is one input, its path (a recording for a speech model)', async () => {
    const path = join(ws.dir, 'clip.wav');
    await writeFile(path, Buffer.from('RIFF\0\0\0\0WAVEfmt '));
    expect(failure(await cli(['decode', 'run', 'clip.wav']))).toBe(
      `s2s: error: clip.wav:1: the input has ${path.length} characters; this model takes at most 20`,
    );
  });

  it('a text file with a NUL byte is read as lines, and no input at all is an error', async () => {
    await writeFile(join(ws.dir, 'nul.txt'), '12\n3\u00004\n');
    const r = await cli(['decode', 'run', 'nul.txt']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(3); // two outputs, then the final newline
    expect(r.stdout).not.toContain('nul.txt');
    await writeFile(join(ws.dir, 'empty.wav'), '');
    expect(failure(await cli(['decode', 'run', 'empty.wav']))).toBe(
      's2s: error: empty.wav: no input lines (it is empty); expected one input per line',
    );
    expect(failure(await cli(['decode', 'run'], ''))).toBe(
      's2s: error: stdin: no input lines (it is empty); expected one input per line',
    );
  });

  it('an over-long input line names its file and line and says the limit', async () => {
    await writeFile(join(ws.dir, 'long.txt'), `12\n34\n${'5'.repeat(25)}\n`);
    expect(failure(await cli(['decode', 'run', 'long.txt']))).toBe(
      's2s: error: long.txt:3: the input has 25 characters; this model takes at most 20',
    );
    expect(failure(await cli(['inspect', 'run', '9'.repeat(21)]))).toBe(
      's2s: error: input: the input has 21 characters; this model takes at most 20',
    );
  });

  it('bad data names its file and line; bad settings name the option; nothing is left behind', async () => {
    await writeFile(join(ws.dir, 'bad.tsv'), '12\t21\nno tab here\n');
    expect(failure(await cli(['train', 'toy-reverse', '--data', 'bad.tsv', '--out', 'bad']))).toBe(
      `s2s: error: ${join(ws.dir, 'bad.tsv')}:2: expected 'input<TAB>reference', got "no tab here"`,
    );
    await writeFile(join(ws.dir, 'typo.json'), '{"training": {"learningRat": 0.1}}');
    const typo = failure(
      await cli([
        'train',
        'toy-reverse',
        '--data',
        'train.tsv',
        '--out',
        'typo',
        '--config',
        'typo.json',
      ]),
    );
    expect(typo).toMatch(
      /^s2s: error: config file .*typo\.json: unknown option 'training\.learningRat' \(did you mean 'learningRate'\?\); known options: .*learningRate/,
    );
    // The options the CLI's own loop reads are named beside the Trainer's.
    await writeFile(join(ws.dir, 'typo.json'), '{"training": {"epochz": 3}}');
    const loopTypo = failure(
      await cli([
        'train',
        'toy-reverse',
        '--data',
        'train.tsv',
        '--out',
        'typo',
        '--config',
        'typo.json',
      ]),
    );
    expect(loopTypo).toMatch(
      /^s2s: error: config file .*typo\.json: unknown option 'training\.epochz' \(did you mean 'epochs'\?\)/,
    );
    for (const name of ['epochs', 'batchSize', 'patience', 'optimizer'])
      expect(loopTypo).toContain(name);
    expect(failure(await cli(['train', 'toy-reverse', '--data', 'missing.tsv']))).toBe(
      's2s: error: data missing.tsv does not exist',
    );
    expect(existsSync(join(ws.dir, 'bad'))).toBe(false);
    expect(existsSync(join(ws.dir, 'typo'))).toBe(false);
  });

  it('plugins that are missing or broken', async () => {
    expect(failure(await cli(['list', '--plugin', '@nobody/no-such-plugin']))).toBe(
      `s2s: error: plugin '@nobody/no-such-plugin' is not installed in ${ws.dir} or beside s2s; install it with 'npm install @nobody/no-such-plugin'`,
    );
    await writeFile(join(ws.dir, 'broken.mjs'), "throw new Error('boom');\n");
    expect(failure(await cli(['list', '--plugin', './broken.mjs']))).toBe(
      "s2s: error: plugin './broken.mjs' failed to load: boom",
    );
  });

  it('command-line mistakes exit with status 2', async () => {
    expect(failure(await cli(['frobnicate']), 2)).toBe("s2s: error: unknown command 'frobnicate'");
    expect(failure(await cli(['decode', 'run', '--beam', 'five']), 2)).toBe(
      "s2s: error: option '--beam <k>' argument 'five' is invalid. expected a positive integer, got 'five'",
    );
    const backend = await runCli(['decode', 'run', '--backend', 'gpu'], { cwd: ws.dir });
    expect(failure(backend, 2)).toBe(
      "s2s: error: option '--backend <name>' argument 'gpu' is invalid. Allowed choices are auto, tensorflow, wasm, cpu.",
    );
    expect(failure(await cli(['eval', 'run']), 2)).toBe(
      "s2s: error: required option '--data <path>' not specified",
    );
  });

  it('--verbose adds the stack trace', async () => {
    const r = await cli(['decode', 'nowhere', '--verbose']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('s2s: error: model folder nowhere does not exist');
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe('help', () => {
  it('--help lists every verb; --version prints the version', async () => {
    const help = await runCli(['--help'], { cwd: ws.dir });
    expect(help.status).toBe(0);
    for (const verb of ['train', 'eval', 'decode', 'inspect', 'list'])
      expect(help.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
    const version = await runCli(['--version'], { cwd: ws.dir });
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    expect(version.stdout).toBe(`${manifest.version}\n`);
  });

  it('marks --data required, and offers inspect no --nbest (it draws the best output only)', async () => {
    for (const verb of ['train', 'eval']) {
      const help = await runCli([verb, '--help'], { cwd: ws.dir });
      const data = help.stdout.slice(help.stdout.indexOf('--data <path>'));
      expect(data.slice(0, data.indexOf('\n  --'))).toContain('(required)');
    }
    const inspect = await runCli(['inspect', '--help'], { cwd: ws.dir });
    expect(inspect.stdout).toContain('--beam <k>');
    expect(inspect.stdout).not.toContain('--nbest');
    expect((await runCli(['decode', '--help'], { cwd: ws.dir })).stdout).toContain('--nbest');
  });

  it("--backend offers exactly core's backend choices that run in Node.js", () => {
    expect(backendNames).toEqual(
      backendChoices.filter((c) => backendPlatforms[c].includes('node')),
    );
  });

  it('list shows the registered plugins of a kind', async () => {
    const r = await cli(['list', 'task']);
    expect(r.stdout).toContain(
      'task\ttoy-reverse\ttoy task: reverse a string character by character',
    );
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('task\t')),
    ).toBe(true);
  });
});
