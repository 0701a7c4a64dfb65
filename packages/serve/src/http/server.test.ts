import { WorkerError } from '@s2s/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeModel, reversed } from '../testing/fake-model.js';
import { createServer, type ServerOptions } from './server.js';

const tick = () => new Promise((done) => setImmediate(done));
let apps: ReturnType<typeof createServer>[] = [];

function serve(options: Partial<ServerOptions> = {}) {
  const model = new FakeModel();
  const app = createServer(model, options);
  apps.push(app);
  const decode = (payload: object) =>
    app.inject({ method: 'POST', url: '/v1/decode', payload: payload as Record<string, unknown> });
  return { model, app, decode };
}

afterEach(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
});

describe('POST /v1/decode', () => {
  it('answers the n-best of each text, with scores and, when asked, alignments', async () => {
    const { decode } = serve();
    const r = await decode({ texts: ['abc', 'de'], nbest: 2, alignments: true });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      results: [
        {
          input: 'abc',
          hypotheses: [
            { text: 'cba', score: -3, alignment: [[1]] },
            { text: 'cba#1', score: -4, alignment: [[1]] },
          ],
        },
        {
          input: 'de',
          hypotheses: [
            { text: 'ed', score: -2, alignment: [[1]] },
            { text: 'ed#1', score: -3, alignment: [[1]] },
          ],
        },
      ],
    });
  });

  it('decodes concurrent requests in one model call, and one at a time with batching off', async () => {
    for (const batching of [true, false]) {
      const { model, decode } = serve({ batching, windowMs: 20 });
      const texts = ['ab', 'cd', 'ef', 'gh'];
      const replies = await Promise.all(texts.map((t) => decode({ texts: [t] })));
      expect(replies.map((r) => r.json().results[0].hypotheses[0].text)).toEqual(
        texts.map(reversed),
      );
      expect(model.calls.map((c) => c.texts)).toEqual(batching ? [texts] : texts.map((t) => [t]));
    }
  });

  it.each([
    [{}, /body must have required property 'texts'/],
    [{ texts: [] }, /body\/texts must NOT have fewer than 1 items/],
    [{ texts: ['a', 'b', 'c', 'd'] }, /body\/texts must NOT have more than 3 items/],
    [{ texts: ['abcdefghijk'] }, /body\/texts\/0 must NOT have more than 10 characters/],
    [{ texts: ['ok', 7] }, /body\/texts\/1 must be string/],
    [{ texts: ['ok', '  '] }, /body\/texts\/1 is blank/],
    [{ texts: ['ok'], nbest: 5 }, /body\/nbest must be <= 4/],
    [{ texts: ['ok'], beam: 5 }, /body must NOT have additional properties/],
  ])('answers 400 with the problem named for %j', async (payload, message) => {
    const { model, decode } = serve({ maxInputs: 3, maxInputLength: 10, maxNbest: 4 });
    const r = await decode(payload);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('bad-request');
    expect(r.json().error.message).toMatch(message);
    expect(model.calls).toEqual([]);
  });

  it('a request the model fails on gets an error; the others batched with it do not', async () => {
    const { decode } = serve({ windowMs: 20 });
    const [good, bad, alsoGood] = await Promise.all([
      decode({ texts: ['ab'] }),
      decode({ texts: ['poison'] }),
      decode({ texts: ['cd'] }),
    ]);
    expect([good!.statusCode, bad!.statusCode, alsoGood!.statusCode]).toEqual([200, 500, 200]);
    expect(bad!.json().error.message).toMatch(/poison/);
    expect(alsoGood!.json().results[0].hypotheses[0].text).toBe('dc');
  });

  it('answers 500 when a decoding thread failed (not the input at fault)', async () => {
    const { model, decode } = serve({ windowMs: 0 });
    model.decode = async () => {
      throw new WorkerError(1, 'exited unexpectedly (code 3)');
    };
    const r = await decode({ texts: ['ab'] });
    expect(r.statusCode).toBe(500);
    expect(r.json().error).toEqual({
      code: 'internal',
      message: 'worker 1: exited unexpectedly (code 3)',
    });
  });

  it('decodes up to `concurrency` batches at once, and one call at a time with batching off', async () => {
    for (const batching of [true, false]) {
      const { model, decode } = serve({ batching, windowMs: 0, concurrency: 2 });
      model.hold();
      const replies = ['ab', 'cd', 'ef'].map((t) => decode({ texts: [t] }));
      const want = batching ? 2 : 1;
      while (model.calls.length < want) await tick();
      await new Promise((done) => setTimeout(done, 20));
      expect(model.calls).toHaveLength(want);
      model.release();
      expect((await Promise.all(replies)).map((r) => r.statusCode)).toEqual([200, 200, 200]);
    }
  });

  it('answers 503 with Retry-After when the queue is full, and /ready says so', async () => {
    const { model, app, decode } = serve({ windowMs: 0, maxQueue: 1 });
    model.hold();
    const first = decode({ texts: ['a'] });
    while (model.calls.length === 0) await tick();
    const second = decode({ texts: ['b'] });
    await tick();
    const refused = await decode({ texts: ['c'] });
    expect(refused.statusCode).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json().error.code).toBe('queue-full');
    expect((await app.inject('/ready')).statusCode).toBe(503);
    model.release();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect((await app.inject('/ready')).json()).toEqual({ ready: true });
  });

  it('answers 504 when a request is not decoded within its time limit', async () => {
    const { model, decode } = serve({ timeoutMs: 30 });
    model.hold();
    const r = await decode({ texts: ['a'] });
    model.release();
    expect(r.statusCode).toBe(504);
    expect(r.json().error.message).toMatch(/time limit of 30 ms/);
  });
});

describe('model info, health, readiness and shutdown', () => {
  it('GET /v1/model describes the model and the limits', async () => {
    const { app } = serve({ maxInputs: 5 });
    const info = (await app.inject('/v1/model')).json();
    expect(info.task).toBe('fake-reverse');
    expect(info.vocabulary).toEqual({ source: 10, target: 10 });
    expect(info.server).toMatchObject({ batching: true, maxInputs: 5, maxBatch: 32 });
  });

  it('GET /health and /ready answer 200 while serving', async () => {
    const { app } = serve();
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).statusCode).toBe(200);
  });

  it('close() sends a batch still inside its window at once, and answers it', async () => {
    const { model, app, decode } = serve({ windowMs: 60_000, timeoutMs: 120_000 });
    const inWindow = decode({ texts: ['abc'] });
    while ((await app.inject('/v1/model')).json().server.counts.requests === 0) await tick();
    await app.close();
    expect(model.calls).toHaveLength(1);
    expect((await inWindow).json().results[0].hypotheses[0].text).toBe('cba');
  });

  it('close() finishes the request in flight before it resolves', async () => {
    const { model, app, decode } = serve();
    model.hold();
    const inFlight = decode({ texts: ['abc'] });
    while (model.calls.length === 0) await tick();
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await tick();
    expect(closed).toBe(false);
    model.release();
    const r = await inFlight;
    await closing;
    expect(r.statusCode).toBe(200);
    expect(r.json().results[0].hypotheses[0].text).toBe('cba');
  });
});

describe('createServer options', () => {
  it('refuses a typo and a bad limit, naming the option', () => {
    const model = new FakeModel();
    expect(() => createServer(model, { maxInput: 4 } as never)).toThrow(
      "server: unknown option 'maxInput' (did you mean 'maxInputs'?)",
    );
    expect(() => createServer(model, { maxNbest: 0 })).toThrow(/option 'maxNbest'.*got 0/);
  });
});
