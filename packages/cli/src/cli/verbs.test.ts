import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import {
  disposeBatch,
  type Hypothesis,
  makeBatch,
  padSequences,
  registry,
  type SearchStrategy,
  Vocabulary,
} from '@s2s/core';
import { loadModel } from '@s2s/core/node';
import { GreedySearch } from '@s2s/search';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli, toyFlags, trainedToyWorkspace } from '../../test/harness.js';
import { formatScores, mergeReferences } from '../eval/eval-command.js';
import { formatScore as formatNumber } from '../eval/format-score.js';

let ws: Awaited<ReturnType<typeof trainedToyWorkspace>>;
const cli = (args: string[], stdin?: string) =>
  runCli([...args, ...toyFlags], { cwd: ws.dir, ...(stdin !== undefined ? { stdin } : {}) });
const inputs = ['31', '4159', '26535', '8', '979', '32'];

/**
 * Greedy decoding of each input on its own, straight through core and the saved vocabulary:
 * no CLI, no task pipeline, no batching.
 */
async function reference(
  texts: readonly string[],
  maxLength = 24,
): Promise<{ text: string; hypothesis: Hypothesis }[]> {
  const { model, metadata } = await loadModel(join(ws.dir, 'run', 'model'));
  const vocabulary = Vocabulary.fromJSON((metadata.pipeline as { vocabulary: unknown }).vocabulary);
  const out = [];
  for (const text of texts) {
    const { ids, mask } = padSequences([vocabulary.encode([...text])], vocabulary.pad);
    const [[hypothesis]] = await model.generate(ids, mask, new GreedySearch(), { maxLength });
    tf.dispose([ids, mask]);
    out.push({ text: vocabulary.decode(hypothesis!.tokens).join(''), hypothesis: hypothesis! });
  }
  model.dispose();
  return out;
}

beforeAll(async () => {
  ws = await trainedToyWorkspace();
  // A strategy returning n copies of greedy's best, scored 0, −1, −2…: enough to see n-best printing.
  registry.register({
    kind: 'search',
    name: 'test-nbest',
    options: z.strictObject({ nBest: z.int().positive().default(1) }),
    create: (options): SearchStrategy => {
      const n = options.nBest;
      return {
        name: 'test-nbest',
        search: async (model, memory, o) =>
          (await new GreedySearch().search(model, memory, o)).map(([best]) =>
            Array.from({ length: n }, (_, k) => ({ ...best!, score: -k })),
          ),
      };
    },
  });
});
afterAll(() => ws.cleanup());

describe('s2s decode', () => {
  it('writes one output per input line, as greedy search on each input alone gives', async () => {
    const expected = (await reference(inputs)).map((r) => r.text);
    const fromStdin = await cli(['decode', 'run'], `${inputs.join('\n')}\n`);
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(`${expected.join('\n')}\n`);
    // Batches of two: padding a shorter input must not change its output.
    await writeFile(join(ws.dir, 'in.txt'), `${inputs.join('\r\n')}`);
    const fromFile = await cli(['decode', 'run/model', 'in.txt', '--batch-size', '2']);
    expect(fromFile.stdout).toBe(fromStdin.stdout);
  });

  it('writes --output atomically instead of to stdout', async () => {
    const r = await cli(['decode', 'run', 'in.txt', '-o', 'out.txt']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote 6 outputs to ${join(ws.dir, 'out.txt')}`);
    const expected = (await reference(inputs)).map((r) => r.text);
    expect(await readFile(join(ws.dir, 'out.txt'), 'utf8')).toBe(`${expected.join('\n')}\n`);
  });

  it('--json gives tokens, scores, per-token log-probabilities and alignments over the real source', async () => {
    const r = await cli(['decode', 'run', '--json'], `${inputs.join('\n')}\n`);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const expected = await reference(inputs);
    lines.forEach((line, i) => {
      const [best] = line.outputs;
      const { hypothesis } = expected[i]!;
      expect(line.input).toBe(inputs[i]);
      expect(line.sourceTokens).toEqual([...inputs[i]!]);
      expect(best.text).toBe(expected[i]!.text);
      expect(best.tokens).toEqual([...best.text, ...(hypothesis.finished ? ['<eos>'] : [])]);
      best.tokenLogProbs.forEach((lp: number, t: number) =>
        expect(lp).toBeCloseTo(hypothesis.tokenLogProbs[t]!, 4),
      );
      expect(best.logProb).toBeCloseTo(
        best.tokenLogProbs.reduce((a: number, b: number) => a + b, 0),
        4,
      );
      expect(best.alignment).toHaveLength(best.tokens.length);
      for (const row of best.alignment) {
        expect(row).toHaveLength(inputs[i]!.length);
        expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
      }
    });
  });

  it('--nbest prints each hypothesis with its score; --max-len caps the output', async () => {
    const r = await cli(['decode', 'run', '--search', 'test-nbest', '--nbest', '3'], '31\n4159\n');
    const [first, second] = (await reference(['31', '4159'])).map((x) => x.text);
    expect(r.stdout).toBe(
      `${[1, 2]
        .flatMap((i) =>
          [0, -1, -2].map((s) => `${i}\t${s.toFixed(4)}\t${i === 1 ? first : second}`),
        )
        .join('\n')}\n`,
    );
    const capped = await cli(['decode', 'run', '--json', '--max-len', '2'], '26535\n');
    const [best] = JSON.parse(capped.stdout).outputs;
    expect(best.tokens.length).toBeLessThanOrEqual(2);
  });
});

describe('s2s decode with the registered search strategies', () => {
  /** log P(output | input) by teacher forcing the saved model: no search involved. */
  async function teacherForcedLogProb(input: string, output: string): Promise<number> {
    const { model, metadata } = await loadModel(join(ws.dir, 'run', 'model'));
    const vocabulary = Vocabulary.fromJSON(
      (metadata.pipeline as { vocabulary: unknown }).vocabulary,
    );
    const batch = makeBatch(
      [vocabulary.encode([...input])],
      [vocabulary.encode([...output])],
      vocabulary,
    );
    const total = tf.tidy(() => {
      const { logProbs } = model.forward(batch, { training: false });
      return tf.sum(tf.mul(logProbs, tf.oneHot(batch.targetOut, logProbs.shape[2])));
    });
    const value = total.dataSync()[0]!;
    tf.dispose(total);
    disposeBatch(batch);
    model.dispose();
    return value;
  }

  it('--search beam --nbest prints n outputs whose scores are their log-probabilities (α = 0)', async () => {
    const r = await cli(
      ['decode', 'run', '--search', 'beam', '--beam', '4', '--nbest', '3', '--alpha', '0'],
      '4159\n',
    );
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(3);
    const scores = rows.map(([, score]) => Number(score));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const [index, score, text] of rows) {
      expect(index).toBe('1');
      expect(Number(score)).toBeCloseTo(await teacherForcedLogProb('4159', text!), 3);
    }
  });

  it('--search sampling draws --nbest samples, the same ones for the same --seed', async () => {
    const args = ['decode', 'run', '--search', 'sampling', '--nbest', '4', '--temperature', '1.5'];
    const a = await cli([...args, '--seed', '7'], '26535\n');
    expect(a.stdout.trim().split('\n')).toHaveLength(4);
    expect((await cli([...args, '--seed', '7'], '26535\n')).stdout).toBe(a.stdout);
  });
});

describe('s2s eval', () => {
  it("prints the task's scores on a file, matching an independent count", async () => {
    const lines = readFileSync(join(ws.dir, 'test.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const outputs = (await reference(lines.map(([input]) => input!))).map((r) => r.text);
    // Scores are percentages (core's TaskScores convention).
    const exact = (100 * outputs.filter((o, i) => o === lines[i]![1]).length) / lines.length;
    let right = 0;
    let total = 0;
    lines.forEach(([, ref], i) => {
      for (let c = 0; c < ref!.length; c++) right += Number(outputs[i]![c] === ref![c]);
      total += ref!.length;
    });
    const text = await cli(['eval', 'run', '--data', 'test.tsv']);
    expect(text.status).toBe(0);
    expect(text.stdout).toBe(
      `exact_match    ${formatNumber(exact)}  (primary)\nchar_accuracy  ${formatNumber((100 * right) / total)}\nexamples       20\n`,
    );
    const json = JSON.parse((await cli(['eval', 'run', '--data', 'test.tsv', '--json'])).stdout);
    expect(json).toEqual({
      task: 'toy-reverse',
      examples: 20,
      primary: 'exact_match',
      scores: {
        exact_match: expect.closeTo(exact, 10),
        char_accuracy: expect.closeTo((100 * right) / total, 10),
      },
    });
  });
});

describe('s2s eval --config', () => {
  it("reads --data and searches with the file's data and search sections over the saved ones", async () => {
    const lines = readFileSync(join(ws.dir, 'test.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    // Greedy search cut at 2 steps, straight through core: what the override asks for.
    const outputs = (
      await reference(
        lines.map(([input]) => input!),
        2,
      )
    ).map((r) => r.text);
    const exact = outputs.filter((o, i) => o === lines[i]![1]).length / lines.length;
    await writeFile(join(ws.dir, 'short.json'), JSON.stringify({ search: { maxLength: 2 } }));
    const json = JSON.parse(
      (await cli(['eval', 'run', '--data', 'test.tsv', '--config', 'short.json', '--json'])).stdout,
    );
    expect(json.scores.exact_match).toBeCloseTo(100 * exact, 8);
    expect(outputs.every((o) => o.length <= 2)).toBe(true);
    // Data settings reach the restored pipeline too: the toy pipeline refuses inputs over data.maxLength.
    await writeFile(join(ws.dir, 'tight.json'), JSON.stringify({ data: { maxLength: 1 } }));
    const tight = await cli(['eval', 'run', '--data', 'test.tsv', '--config', 'tight.json']);
    expect(tight.status).not.toBe(0);
    expect(tight.stderr).toMatch(/this model takes at most 1/);
    await writeFile(join(ws.dir, 'model.json'), JSON.stringify({ model: { seed: 2 } }));
    const refused = await cli(['eval', 'run', '--data', 'test.tsv', '--config', 'model.json']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/eval takes only 'data' and 'search'; 'model' belong/);
  });
});

it('merges examples that share an input into one with all their references, in order', () => {
  const merged = mergeReferences([
    { input: 'a', references: ['x'], origin: 'f:1' },
    { input: 'b', references: ['y'], origin: 'f:2' },
    { input: 'a', references: ['z'], origin: 'f:3' },
    { input: 'a', references: ['x'], origin: 'f:4' },
  ]);
  expect(merged).toEqual([
    { input: 'a', references: ['x', 'z'], origin: 'f:1' },
    { input: 'b', references: ['y'], origin: 'f:2' },
  ]);
});

it('formats scores as aligned columns, the primary one marked, the signature last', () => {
  const text = formatScores(
    { scores: { bleu: 12.34567, chrf: 40 }, primary: 'bleu', signature: 'BLEU|nrefs:1' },
    5,
  );
  expect(text).toBe(
    [
      'bleu       12.35  (primary)',
      'chrf       40',
      'examples   5',
      'signature  BLEU|nrefs:1',
      '',
    ].join('\n'),
  );
});

describe('s2s inspect', () => {
  it('draws the alignment as an SVG heat map and a PNG, and prints their paths', async () => {
    const r = await cli(['inspect', 'run', '26535', '-o', 'plots/align']);
    expect(r.status).toBe(0);
    const svgPath = join(ws.dir, 'plots', 'align.svg');
    const pngPath = join(ws.dir, 'plots', 'align.png');
    expect(r.stdout).toBe(`${svgPath}\n${pngPath}\n`);
    const svg = await readFile(svgPath, 'utf8');
    const [{ hypothesis, text }] = await reference(['26535']);
    const rows = hypothesis.tokens.length;
    // One shaded cell per (output token, source digit), each labelled with its weight.
    expect(svg.match(/<rect [^>]*fill="rgb[^"]*"><title>/g)).toHaveLength(rows * 5);
    for (const digit of '26535') expect(svg).toContain(`>${digit}</text>`);
    if (hypothesis.finished) expect(svg).toContain('>&lt;eos&gt;</text>');
    expect(svg).toContain(`26535  →  ${text}`);
    // resvg parses it (an independent check that it is well-formed SVG) …
    const { width, height } = new Resvg(svg).render();
    // … and the PNG is a real PNG at twice the SVG's size.
    const png = await readFile(pngPath);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width * 2, height * 2]);
    expect(png.length).toBeGreaterThan(2_000);
  });

  it('writes into the run folder by default, never the working folder, with a titled SVG', async () => {
    const r = await cli(['inspect', 'run', '26535']);
    expect(r.status).toBe(0);
    const base = join(ws.dir, 'run', 'attention');
    expect(r.stdout).toBe(`${base}.svg\n${base}.png\n`);
    expect(existsSync(join(ws.dir, 'attention.svg'))).toBe(false);
    const svg = await readFile(`${base}.svg`, 'utf8');
    // The document's first child is its accessible name (what biome's a11y rule asks for).
    expect(svg.split('\n')[1]).toMatch(/^<title>.+<\/title>$/);
  });

  it("--curves draws the run's loss and metric from its log", async () => {
    const r = await cli(['inspect', 'run', '--curves']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `${join(ws.dir, 'run', 'curves.svg')}\n${join(ws.dir, 'run', 'curves.png')}\n`,
    );
    const svg = await readFile(join(ws.dir, 'run', 'curves.svg'), 'utf8');
    for (const label of [
      'training loss (step)',
      'validation loss',
      'validation exact_match',
      '>step<',
      '>epoch<',
    ]) {
      expect(svg).toContain(label);
    }
    // One path per series: step losses, epoch means, validation loss, the metric.
    expect(svg.match(/<path d="M/g)).toHaveLength(4);
    expect(() => new Resvg(svg).render()).not.toThrow();
    const png = await readFile(join(ws.dir, 'run', 'curves.png'));
    expect(png.toString('latin1', 1, 4)).toBe('PNG');
  });
});
