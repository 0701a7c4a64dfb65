/**
 * The page in a real browser: Debian's Chromium, driven by playwright-core (which never
 * downloads a browser of its own), against the same model decoded in Node.js on the same
 * backend. A tiny model is trained here first, on 300 pairs of the shipped sample, so
 * the test needs nothing outside the repository.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '@s2s/cli';
import { TaskModel, useBackend } from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { samplePath } from '@s2s/task-translation/node';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../src/site/build-site.js';
import { type StaticServer, serveStatic } from '../src/site/static-server.js';

const chromiumPath = process.env.S2S_CHROMIUM ?? '/usr/bin/chromium';
const sentence = 'I am very tired.';
const beamSize = 4;
const nbest = 3;

let work: string;
let server: StaticServer;
let browser: Browser;
let modelDir: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `the browser test needs Chromium at ${chromiumPath}: install it with \`apt-get install chromium\` (Debian/Ubuntu, as root), or set S2S_CHROMIUM to a Chromium or Chrome executable`,
    );
  }
  work = await mkdtemp(join(tmpdir(), 's2s-browser-'));
  modelDir = await trainTinyModel(work);
  const site = await buildSite(join(work, 'site'));
  server = await serveStatic({ '/': site.dir, '/model/': modelDir });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the browser example in Chromium', () => {
  it('translates typed text exactly as Node.js does on wasm: text, n-best scores and alignments', async () => {
    const page = await open(`${server.url}?backend=wasm`);
    await page.fill('#source', sentence);
    await page.fill('#beam', String(beamSize));
    await page.fill('#nbest', String(nbest));
    await page.click('#translate');
    await page.waitForSelector('body[data-state="ready"] #hypotheses li');
    const shown = await page.$$eval('#hypotheses li', (items) =>
      items.map((li) => ({
        text: li.querySelector('.text')?.textContent ?? '',
        score: Number((li as HTMLElement).dataset.score),
      })),
    );
    const alignments: number[][][] = [];
    for (let rank = 0; rank < shown.length; rank++) {
      await page.click(`#hypotheses li:nth-child(${rank + 1})`);
      alignments.push(await heatmapWeights(page));
    }

    const expected = await decodeInNode();
    expect(shown.length).toBe(expected.hypotheses.length);
    expect(shown.length).toBeGreaterThan(1);
    expected.hypotheses.forEach((hypothesis, rank) => {
      expect(shown[rank]!.text, `text of hypothesis ${rank}`).toBe(hypothesis.text);
      expect(Math.abs(shown[rank]!.score - hypothesis.score), `score of ${rank}`).toBeLessThan(
        1e-4,
      );
      const alignment = hypothesis.alignment!;
      expect(alignments[rank]!.length).toBe(alignment.length);
      alignment.forEach((row, i) => {
        expect(alignments[rank]![i]!.length).toBe(row.length);
        row.forEach((weight, j) => {
          expect(
            Math.abs(alignments[rank]![i]![j]! - weight),
            `a[${rank}][${i}][${j}]`,
          ).toBeLessThan(1e-4);
        });
      });
    });
    await page.close();
  });

  it('says so on the page, never falling back, when the .wasm files are not served', async () => {
    const page = await open(`${server.url}?backend=wasm&wasm=/no-such-folder/`, 'error');
    const status = await page.textContent('#status');
    expect(status).toContain("BackendError: backend 'wasm' is unavailable");
    expect(status).toContain('/no-such-folder/');
    expect(await page.isDisabled('#translate')).toBe(true);
    await page.close();
  });

  it('warns on the page when auto passes over WebGL and wasm, and names the backend it took', async () => {
    const page = await open(`${server.url}?backend=auto&wasm=/no-such-folder/`, 'ready', {
      withoutWebGL: true,
    });
    const warnings = await page.$$eval('#warnings p', (ps) => ps.map((p) => p.textContent));
    expect(await page.isVisible('#warnings')).toBe(true);
    expect(warnings).toEqual([
      expect.stringMatching(/^s2s: backend 'webgl' failed to start .*falling back to 'wasm'$/),
      expect.stringMatching(
        /^s2s: backend 'wasm' failed to start \(its .wasm files could not be loaded from .*\/no-such-folder\/.*falling back to 'cpu'$/,
      ),
    ]);
    expect(await page.textContent('#status')).toContain('backend cpu (pure JavaScript, slow');
    await page.close();
  });
});

/**
 * Opens the page and waits until it is ready (or, with `until: 'error'`, has failed).
 * `withoutWebGL` makes every canvas refuse a WebGL context, as a browser without it does.
 */
async function open(
  url: string,
  until: 'ready' | 'error' = 'ready',
  options: { withoutWebGL?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage();
  if (options.withoutWebGL) {
    // A string, not a function: the test's transpiler may wrap functions in helpers that
    // do not exist in the page.
    await page.addInitScript(`
      for (const canvas of [HTMLCanvasElement, OffscreenCanvas]) {
        const getContext = canvas.prototype.getContext;
        canvas.prototype.getContext = function (kind, ...rest) {
          return kind.includes('webgl') ? null : getContext.call(this, kind, ...rest);
        };
      }
    `);
  }
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', {
    timeout: 120_000,
  });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== until) {
    const status = await page.textContent('#status');
    throw new Error(
      `page ${url} ended '${state}', expected '${until}': ${status}\n${console.join('\n')}`,
    );
  }
  return page;
}

/** The heat map's weights as drawn, `[output token][input token]`. */
async function heatmapWeights(page: Page): Promise<number[][]> {
  const cells = await page.$$eval('#attention rect', (rects) =>
    rects.map((r) => ({
      i: Number(r.getAttribute('data-row')),
      j: Number(r.getAttribute('data-col')),
      w: Number(r.getAttribute('data-weight')),
    })),
  );
  const out: number[][] = [];
  for (const { i, j, w } of cells) {
    out[i] ??= [];
    out[i][j] = w;
  }
  return out;
}

/** The reference: the same model, search and sentence in this Node.js process, on wasm. */
async function decodeInNode() {
  await useBackend('wasm');
  const model = await TaskModel.load(modelFolder(modelDir));
  try {
    const base = model.settings.search;
    const [decoded] = await model.decode([sentence], {
      search: { ...base, name: 'beam', beamSize },
      nbest,
      alignments: true,
    });
    return decoded!;
  } finally {
    model.dispose();
  }
}

/** Trains a small translation model with the `s2s` command; returns its model folder. */
async function trainTinyModel(dir: string): Promise<string> {
  const pairs = (await readFile(samplePath, 'utf8')).split('\n').slice(0, 300).join('\n');
  const data = join(dir, 'pairs.tsv');
  await writeFile(data, `${pairs}\n`);
  const config = join(dir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      model: {
        encoder: { embeddingSize: 16, hiddenSize: 16 },
        decoder: { embeddingSize: 16, hiddenSize: 32, attention: { size: 16 } },
      },
      training: { epochs: 2, batchSize: 32, devFraction: 0.1 },
      data: { tokenizer: { name: 'word' } },
    }),
  );
  let log = '';
  const capture = new Writable({
    write(chunk, _encoding, done) {
      log += chunk;
      done();
    },
  });
  const status = await run(
    ['train', 'translation', '--data', data, '--config', config, '--out', join(dir, 'run')],
    { stdin: process.stdin, stdout: capture, stderr: capture, cwd: dir },
  );
  if (status !== 0) throw new Error(`s2s train failed (${status}):\n${log}`);
  return join(dir, 'run', 'model');
}
