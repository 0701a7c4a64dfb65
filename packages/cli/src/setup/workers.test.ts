import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, toyWorkspace } from '../../test/harness.js';

// Worker threads import plain JavaScript: the toy task's built module (the test setup builds
// the CLI), not the TypeScript one the other tests load.
const builtToy = fileURLToPath(new URL('../../dist/testing/index.js', import.meta.url));
const flags = (workers: number) => [
  '--plugin',
  builtToy,
  '--backend',
  'wasm',
  '--workers',
  String(workers),
];

let ws: Awaited<ReturnType<typeof toyWorkspace>>;
const cli = (args: string[], workers: number, stdin?: string) =>
  runCli([...args, ...flags(workers)], { cwd: ws.dir, ...(stdin !== undefined ? { stdin } : {}) });
const steps = async (run: string) =>
  (await readFile(join(ws.dir, run, 'train-log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; loss: number })
    .filter((r) => r.type === 'step')
    .map((r) => r.loss);

/** Each epoch's dev scores, from the run's log. */
const devScores = async (run: string) =>
  (await readFile(join(ws.dir, run, 'train-log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; validation?: { scores?: unknown } })
    .filter((r) => r.type === 'epoch')
    .map((r) => r.validation?.scores);

describe('--workers', () => {
  beforeAll(async () => {
    ws = await toyWorkspace();
  });
  afterAll(() => ws.cleanup());

  it('train on two threads takes the one-thread steps (losses to 1e-4), dev metric included', async () => {
    // The 10 dev examples in batches of 3: the dev metric sends whole batches to the threads.
    const train = (out: string, workers: number) =>
      cli(
        [
          'train',
          'toy-reverse',
          '--data',
          'train.tsv',
          '--out',
          out,
          '--epochs',
          '2',
          '--batch-size',
          '3',
        ],
        workers,
      );
    const one = await train('one', 1);
    const two = await train('two', 2);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const [a, b] = [await steps('one'), await steps('two')];
    expect(a.length).toBeGreaterThan(5);
    expect(b).toHaveLength(a.length);
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i]! - b[i]!), `step ${i + 1}`).toBeLessThan(1e-4);
    const [devOne, devTwo] = [await devScores('one'), await devScores('two')];
    expect(devOne).toHaveLength(2);
    for (const scores of devOne) expect(Object.keys(scores ?? {}).length).toBeGreaterThan(0);
    expect(devTwo).toEqual(devOne);
  });

  it('decode and eval on two threads give the one-thread outputs, in input order', async () => {
    const lines = `${['31', '4159', '26535', '8', '979', '32', '7', '1234'].join('\n')}\n`;
    for (const search of [[], ['--search', 'beam', '--beam', '3', '--nbest', '2']]) {
      const one = await cli(['decode', 'one', '--json', ...search], 1, lines);
      const two = await cli(['decode', 'one', '--json', '--batch-size', '5', ...search], 2, lines);
      expect(one.status, one.stderr).toBe(0);
      expect(two.status, two.stderr).toBe(0);
      expect(two.stdout.trim().split('\n')).toHaveLength(8);
      expect(two.stdout).toBe(one.stdout);
      // Three batches of three, sent whole to the two threads: the same as in one thread.
      const threeOne = await cli(
        ['decode', 'one', '--json', '--batch-size', '3', ...search],
        1,
        lines,
      );
      const threeTwo = await cli(
        ['decode', 'one', '--json', '--batch-size', '3', ...search],
        2,
        lines,
      );
      expect(threeTwo.status, threeTwo.stderr).toBe(0);
      expect(threeTwo.stdout).toBe(threeOne.stdout);
      expect(threeTwo.stdout).toBe(one.stdout);
    }
    const scoreOne = await cli(['eval', 'one', '--data', 'test.tsv', '--json'], 1);
    const scoreTwo = await cli(['eval', 'one', '--data', 'test.tsv', '--json'], 2);
    expect(scoreOne.status, scoreOne.stderr).toBe(0);
    expect(scoreTwo.stdout).toBe(scoreOne.stdout);
  });

  it('a worker count that is not a positive integer is refused', async () => {
    const r = await runCli(['decode', 'one', '--workers', '0'], { cwd: ws.dir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--workers.*expected a positive integer, got '0'/);
  });
});
