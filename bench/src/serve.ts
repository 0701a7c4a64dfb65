/**
 * Load test of `s2s serve` on loopback: requests per second and p50/p99 latency at 1, 16
 * and 64 concurrent clients (autocannon), with dynamic batching (at each `--workers` count
 * of decoding threads) and with one request at a time (`--no-batching`: one decode in
 * flight), each a separate server process whose RSS is sampled throughout. All servers
 * start first and the cells run interleaved (each client count: every mode in turn), so
 * load from other processes falls on all modes alike; the 1-minute load average is printed
 * with each cell. Requests per second of the server's CPU time (all its threads) are
 * reported too. Every request is one input line, as an interactive client sends. Bounded:
 * `--seconds` per cell after 2 s of warm-up each, plus start-up. Without `--model` it first
 * trains the toy-reverse model (`@s2s/cli/testing`) into a temporary folder, with
 * `--hidden` units.
 *
 *   npm run bench:serve [-- --model DIR] [--seconds 10] [--clients 1,16,64] [--hidden 256]
 *                       [--modes batching:2,batching:1,one-at-a-time:1]
 *                       [--window-ms MS] [--max-batch N] [--json]
 *
 * A mode is `batching:N` or `one-at-a-time:N`, N the server's `--workers` (0: decoding in
 * the server's main thread, as before worker threads). The first one-at-a-time mode is the
 * baseline of the × columns.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
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
    modes: { type: 'string', default: 'batching:2,batching:1,one-at-a-time:1' },
    /** Passed to the batching servers; unset, the server's defaults. */
    'window-ms': { type: 'string' },
    'max-batch': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const seconds = Number(args.seconds);
const clients = args.clients.split(',').map(Number);
const modes = args.modes.split(',').map((m) => {
  const [kind, workers] = m.split(':');
  if ((kind !== 'batching' && kind !== 'one-at-a-time') || !/^\d+$/.test(workers ?? '')) {
    throw new Error(`--modes: expected batching:N or one-at-a-time:N, got '${m}'`);
  }
  return {
    kind,
    workers: Number(workers),
    label: `${kind}, ${workers === '0' ? 'main thread' : `${workers} worker${workers === '1' ? '' : 's'}`}`,
  };
});
const baseline = modes.find((m) => m.kind === 'one-at-a-time') ?? modes[0]!;

interface Cell {
  readonly mode: string;
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
  /** 1-minute load average when the cell ended. */
  readonly load: number;
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
  const batching = [
    ...(args['window-ms'] === undefined ? [] : ['--window-ms', args['window-ms']]),
    ...(args['max-batch'] === undefined ? [] : ['--max-batch', args['max-batch']]),
  ];
  const servers = [];
  for (const m of modes) {
    const extra = m.kind === 'batching' ? batching : ['--no-batching'];
    servers.push(await startServer(model, [...extra, '--workers', String(m.workers)]));
  }
  const cells: Cell[] = [];
  try {
    for (const c of clients) {
      for (const [i, m] of modes.entries())
        cells.push(await measure(servers[i]!, m.label, c, inputs));
    }
  } finally {
    for (const server of servers) await server.stop();
  }
  const base = (c: number) => cells.find((x) => x.mode === baseline.label && x.clients === c)!;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ model, seconds, cells }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `s2s serve ${model}: one input line per request, ${seconds} s per cell after 2 s of warm-up, cells interleaved; × columns against ${baseline.label}\n\n`,
    );
    process.stdout.write(
      '| mode | clients | requests | req/s | × one at a time | req / CPU-s | × one at a time | p50 ms | p99 ms | errors | RSS start → end (max) MiB | load |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n',
    );
    const ordered = modes.flatMap((m) => cells.filter((x) => x.mode === m.label));
    for (const c of ordered) {
      process.stdout.write(
        `| ${c.mode} | ${c.clients} | ${c.requests} | ${c.requestsPerSec.toFixed(1)} | ${(c.requestsPerSec / base(c.clients).requestsPerSec).toFixed(2)} | ${c.requestsPerCpuSec.toFixed(1)} | ${(c.requestsPerCpuSec / base(c.clients).requestsPerCpuSec).toFixed(2)} | ${c.p50Ms} | ${c.p99Ms} | ${c.errors} | ${c.rssStartMiB} → ${c.rssEndMiB} (${c.rssMaxMiB}) | ${c.load.toFixed(2)} |\n`,
      );
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** One cell: `server` loaded by `c` clients, after a warm-up at that load. */
async function measure(server: Server, mode: string, c: number, inputs: string[]): Promise<Cell> {
  const pid = server.child.pid!;
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(pid)), 250);
  try {
    // Warm-up at this load: the first decodes of each batch shape are slower.
    await load(server.url, c, 2, inputs);
    const from = rss.length;
    const start = rssMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const r = await load(server.url, c, seconds, inputs);
    const cpu = cpuSeconds(pid) - cpuBefore;
    const during = rss.slice(from);
    const cell: Cell = {
      mode,
      clients: c,
      requests: r['2xx'],
      requestsPerSec: r['2xx'] / seconds,
      requestsPerCpuSec: r['2xx'] / cpu,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
      rssStartMiB: start,
      rssEndMiB: rssMiB(pid),
      rssMaxMiB: Math.max(start, ...during),
      load: loadavg()[0]!,
    };
    process.stderr.write(
      `bench: ${mode}, ${c} clients: ${cell.requestsPerSec.toFixed(1)} req/s, ${cell.requestsPerCpuSec.toFixed(1)} req/CPU-s, p99 ${cell.p99Ms} ms, load ${cell.load.toFixed(2)}\n`,
    );
    return cell;
  } finally {
    clearInterval(sampler);
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
