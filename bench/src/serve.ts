/**
 * Load test of `s2s serve` on loopback: requests per second and p50/p99 latency at 1, 16
 * and 64 concurrent clients (autocannon), with dynamic batching and with one request at a
 * time (`--no-batching`), each a separate server process whose RSS is sampled throughout.
 * Requests per second of the server's CPU time are reported too: on shared cores the wall
 * figures depend on what else runs. Every request is one input line, as an interactive
 * client sends. Bounded: `--seconds` per cell (6 cells) after 2 s of warm-up each, plus
 * start-up. Without `--model` it first trains the toy-reverse model (`@s2s/cli/testing`)
 * into a temporary folder, with `--hidden` units.
 *
 *   npm run bench:serve [-- --model DIR] [--seconds 10] [--clients 1,16,64] [--hidden 256]
 *                       [--window-ms MS] [--max-batch N] [--json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { randomDigits, s2s, toyPlugin, trainToy } from './toy-model.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '1,16,64' },
    hidden: { type: 'string', default: '256' },
    epochs: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'wasm' },
    /** Passed to the batching server; unset, the server's defaults. */
    'window-ms': { type: 'string' },
    'max-batch': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const seconds = Number(args.seconds);
const clients = args.clients.split(',').map(Number);

interface Cell {
  readonly mode: 'batching' | 'one-at-a-time';
  readonly clients: number;
  readonly requests: number;
  readonly requestsPerSec: number;
  /** Requests answered per second of the server's CPU time: steadier than wall time on shared cores. */
  readonly requestsPerCpuSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly rssStartMiB: number;
  readonly rssEndMiB: number;
  readonly rssMaxMiB: number;
}

const work = await mkdtemp(join(tmpdir(), 's2s-bench-serve-'));
try {
  const model =
    args.model ??
    trainToy(work, {
      hidden: Number(args.hidden),
      epochs: Number(args.epochs),
      backend: args.backend,
    });
  const inputs = randomDigits(500, 7);
  const cells: Cell[] = [];
  for (const mode of ['batching', 'one-at-a-time'] as const) {
    cells.push(...(await measure(model, mode, inputs)));
  }
  const base = (c: number) => cells.find((x) => x.mode === 'one-at-a-time' && x.clients === c)!;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ model, seconds, cells }, null, 2)}\n`);
  } else {
    process.stdout.write(
      '| mode | clients | requests | req/s | × one at a time | req / CPU-s | × one at a time | p50 ms | p99 ms | errors | RSS start → end (max) MiB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n',
    );
    for (const c of cells) {
      process.stdout.write(
        `| ${c.mode} | ${c.clients} | ${c.requests} | ${c.requestsPerSec.toFixed(1)} | ${(c.requestsPerSec / base(c.clients).requestsPerSec).toFixed(2)} | ${c.requestsPerCpuSec.toFixed(1)} | ${(c.requestsPerCpuSec / base(c.clients).requestsPerCpuSec).toFixed(2)} | ${c.p50Ms} | ${c.p99Ms} | ${c.errors} | ${c.rssStartMiB} → ${c.rssEndMiB} (${c.rssMaxMiB}) |\n`,
      );
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

/** One server process in `mode`, loaded at each client count in turn. */
async function measure(model: string, mode: Cell['mode'], inputs: string[]): Promise<Cell[]> {
  const batching = [
    ...(args['window-ms'] === undefined ? [] : ['--window-ms', args['window-ms']]),
    ...(args['max-batch'] === undefined ? [] : ['--max-batch', args['max-batch']]),
  ];
  const server = await startServer(model, mode === 'batching' ? batching : ['--no-batching']);
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(server.child.pid!)), 250);
  try {
    const cells: Cell[] = [];
    for (const c of clients) {
      // Warm-up at this load: the first decodes of each batch shape are slower.
      await load(server.url, c, 2, inputs);
      const from = rss.length;
      const start = rssMiB(server.child.pid!);
      const cpuBefore = cpuSeconds(server.child.pid!);
      const r = await load(server.url, c, seconds, inputs);
      const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
      const during = rss.slice(from);
      cells.push({
        mode,
        clients: c,
        requests: r['2xx'],
        requestsPerSec: r['2xx'] / seconds,
        requestsPerCpuSec: r['2xx'] / cpu,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
        rssStartMiB: start,
        rssEndMiB: rssMiB(server.child.pid!),
        rssMaxMiB: Math.max(start, ...during),
      });
      process.stderr.write(
        `bench: ${mode}, ${c} clients: ${(r['2xx'] / seconds).toFixed(1)} req/s, ${(r['2xx'] / cpu).toFixed(1)} req/CPU-s, p99 ${r.latency.p99} ms\n`,
      );
    }
    return cells;
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

function load(url: string, connections: number, duration: number, inputs: string[]) {
  let next = 0;
  return autocannon({
    url: `${url}/v1/decode`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration,
    timeout: 60,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ texts: [inputs[next++ % inputs.length]] }),
        }),
      },
    ],
  });
}

async function startServer(model: string, extra: string[]) {
  const child: ChildProcess = spawn(
    s2s,
    ['serve', model, '--port', '0', '--backend', args.backend, '--plugin', toyPlugin, ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let said = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const match = /serving .* on (http:\/\/\S+)/.exec(said);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`s2s serve exited with ${code}: ${said}`)));
  });
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((done, fail) => {
        child.removeAllListeners('exit');
        child.once('exit', (code) =>
          code === 0 ? done() : fail(new Error(`s2s serve exited with ${code} on SIGTERM`)),
        );
        child.kill('SIGTERM');
      }),
  };
}

function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process so far, in seconds (Linux `/proc`; 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
