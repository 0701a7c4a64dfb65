/**
 * Throughput of `s2s decode --queue` with 1 and 2 `s2s worker` processes on one machine,
 * beside plain `s2s decode`, all on the same input and model: sentences per second (wall
 * time of the producer, from start to the last line written), and a check that every
 * output equals plain `s2s decode`'s. Redis is the real `redis-server` on a free loopback
 * port. Without `--model` it trains the toy-reverse model (`@s2s/cli/testing`) first.
 *
 *   npm run bench:queue [-- --model DIR] [--lines 2000] [--workers 1,2] [--hidden 256] [--json]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer } from '@s2s/serve/testing';
import { randomDigits, s2s, toyPlugin, trainToy } from './toy-model.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    lines: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,2' },
    'batch-size': { type: 'string', default: '32' },
    hidden: { type: 'string', default: '256' },
    epochs: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'boolean', default: false },
  },
});

const common = ['--plugin', toyPlugin, '--backend', args.backend];
const batch = ['--batch-size', args['batch-size']];

const work = await mkdtemp(join(tmpdir(), 's2s-bench-queue-'));
const redis = await startRedisServer();
try {
  const model =
    args.model ??
    trainToy(work, {
      hidden: Number(args.hidden),
      epochs: Number(args.epochs),
      backend: args.backend,
    });
  const lines = randomDigits(Number(args.lines), 11);
  const input = join(work, 'input.txt');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const rows: { setup: string; seconds: number; sentencesPerSec: number; identical: boolean }[] =
    [];
  const plainStart = performance.now();
  const plain = execFileSync(s2s, ['decode', model, input, ...batch, ...common], {
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const plainSeconds = (performance.now() - plainStart) / 1000;
  rows.push({
    setup: 's2s decode (no queue)',
    seconds: plainSeconds,
    sentencesPerSec: lines.length / plainSeconds,
    identical: true,
  });
  for (const n of args.workers.split(',').map(Number)) {
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker(model)));
    try {
      const start = performance.now();
      const queued = execFileSync(
        s2s,
        ['decode', model, input, '--queue', redis.url, ...batch, ...common],
        { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] },
      ).toString();
      const seconds = (performance.now() - start) / 1000;
      rows.push({
        setup: `s2s decode --queue, ${n} worker${n > 1 ? 's' : ''}`,
        seconds,
        sentencesPerSec: lines.length / seconds,
        identical: queued === plain,
      });
      process.stderr.write(
        `bench: ${n} workers: ${(lines.length / seconds).toFixed(1)} sentences/s\n`,
      );
    } finally {
      await Promise.all(workers.map(stop));
    }
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ model, lines: lines.length, rows }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${lines.length} lines, batch/job size ${args['batch-size']}\n\n| setup | wall s | sentences/s | output = s2s decode |\n| --- | ---: | ---: | --- |\n`,
    );
    for (const r of rows) {
      process.stdout.write(
        `| ${r.setup} | ${r.seconds.toFixed(1)} | ${r.sentencesPerSec.toFixed(1)} | ${r.identical ? 'yes' : 'NO'} |\n`,
      );
    }
  }
} finally {
  await redis.stop();
  await rm(work, { recursive: true, force: true });
}

async function startWorker(model: string): Promise<ChildProcess> {
  const child = spawn(s2s, ['worker', model, '--queue', redis.url, ...common], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  await new Promise<void>((ready, fail) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('worker ready')) ready();
    });
    child.once('exit', (code) => fail(new Error(`s2s worker exited with ${code}: ${said}`)));
  });
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
