import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, toyFlags } from '../../test/harness.js';
import { distinctOutputs, servedToyWorkspace } from '../../test/served-toy.js';

const bin = fileURLToPath(new URL('../../bin/s2s.js', import.meta.url));
const builtToy = fileURLToPath(new URL('../../dist/testing/index.js', import.meta.url));
let ws: Awaited<ReturnType<typeof servedToyWorkspace>>;

beforeAll(async () => {
  ws = await servedToyWorkspace();
});
afterAll(() => ws.cleanup());

/** Starts the built `s2s serve` on a free port; resolves with its address once it listens. */
function serve(
  args: string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(
    bin,
    ['serve', 'run', '--port', '0', '--plugin', builtToy, '--backend', 'wasm', ...args],
    { cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving run on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve({ child, url: match[1]!, stderr: () => stderr });
    });
    child.on('exit', (status) => reject(new Error(`s2s serve exited (${status}): ${stderr}`)));
  });
}

/** The JSON body of a reply, typed loosely for reading fields in a test. */
// biome-ignore lint/suspicious/noExplicitAny: a test reads whatever fields it checks
const body = async (reply: Response): Promise<any> => reply.json();

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('s2s serve', () => {
  it('answers what s2s decode prints, describes the model, and exits 0 on SIGTERM after the request in flight', async () => {
    const plain = await runCli(['decode', 'run', 'inputs.txt', ...toyFlags], { cwd: ws.dir });
    expect(plain.status).toBe(0);
    expect(distinctOutputs(plain.stdout)).toBeGreaterThan(10);
    // A long window holds the request in the batcher, so SIGTERM finds it in flight.
    const server = await serve(['--window-ms', '60000', '--max-inputs', '100']);
    const exited = new Promise<number | null>((done) => server.child.on('exit', done));

    const info = await body(await fetch(`${server.url}/v1/model`));
    expect(info.task).toBe('toy-reverse');
    expect(info.vocabularies.target).toBeGreaterThan(10);
    expect(info.backend).toBe('wasm');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    const tooMany = await post(server.url, { texts: Array(101).fill('1') });
    expect(tooMany.status).toBe(400);
    expect((await body(tooMany)).error.message).toMatch(/more than 100 items/);

    const reply = post(server.url, { texts: ws.inputs });
    // Wait until the server has the request, then ask it to stop.
    for (;;) {
      const counts = (await body(await fetch(`${server.url}/v1/model`))).server.counts;
      if (counts.requests === 1) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    server.child.kill('SIGTERM');
    const answered = await reply;
    expect(answered.status).toBe(200);
    const { results } = (await answered.json()) as {
      results: { hypotheses: { text: string }[] }[];
    };
    expect(results.map((r) => `${r.hypotheses[0]!.text}\n`).join('')).toBe(plain.stdout);
    expect(await exited).toBe(0);
    expect(server.stderr()).toContain('SIGTERM: finishing the requests in flight');
  });

  it('with two decoding threads, concurrent requests get what s2s decode prints, each its own', async () => {
    const plain = await runCli(['decode', 'run', 'inputs.txt', ...toyFlags], { cwd: ws.dir });
    expect(plain.status).toBe(0);
    const expected = plain.stdout.trim().split('\n');
    for (const workers of ['2', '0']) {
      const server = await serve(['--workers', workers, '--max-batch', '4', '--window-ms', '2']);
      const info = await body(await fetch(`${server.url}/v1/model`));
      expect(info.server.concurrency).toBe(workers === '2' ? 2 : 1);
      expect(server.stderr()).toMatch(workers === '2' ? /2 decoding threads/ : /main thread/);
      // One request per input, all at once: several batches, decoded on both threads.
      const replies = await Promise.all(
        ws.inputs.map((text) => post(server.url, { texts: [text] })),
      );
      const texts = await Promise.all(
        replies.map(async (r) => {
          expect(r.status).toBe(200);
          return (await body(r)).results[0].hypotheses[0].text as string;
        }),
      );
      expect(texts).toEqual(expected);
      const counts = (await body(await fetch(`${server.url}/v1/model`))).server.counts;
      expect(counts.batches).toBeGreaterThan(1);
      const exited = new Promise<number | null>((done) => server.child.on('exit', done));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
