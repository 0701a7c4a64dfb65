import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A `redis-server` started for tests, on a free loopback port, with nothing saved to disk. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the real `redis-server` (Debian's, at /usr/bin/redis-server, or the first on
 * PATH) on a free loopback port with persistence off. Without one, fails with the command
 * that installs it.
 */
export async function startRedisServer(): Promise<TestRedis> {
  const binary = findRedisServer();
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((ready, fail) => {
    let said = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${said}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('Ready to accept connections')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`redis-server exited with status ${code} before it was ready: ${said}`));
    });
  });
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => stop(child) };
}

function findRedisServer(): string {
  const candidates = [
    '/usr/bin/redis-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ];
  const found = candidates.find((path) => path !== 'redis-server' && existsSync(path));
  if (!found) {
    throw new Error(
      'these tests need the real redis-server, found neither /usr/bin/redis-server nor one on PATH; install it: apt-get install redis-server',
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
