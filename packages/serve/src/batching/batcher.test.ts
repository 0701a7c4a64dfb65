import { describe, expect, it } from 'vitest';
import { FakeModel, reversed } from '../testing/fake-model.js';
import { DynamicBatcher } from './batcher.js';
import { DrainingError, QueueFullError, RequestTimeoutError } from './errors.js';

const tick = () => new Promise((done) => setImmediate(done));
const bestTexts = (results: readonly { hypotheses: readonly { text: string }[] }[]) =>
  results.map((r) => r.hypotheses[0]!.text);

function batcher(options: ConstructorParameters<typeof DynamicBatcher>[1] = {}) {
  const model = new FakeModel();
  return { model, batcher: new DynamicBatcher((t, o) => model.decode(t, o), options) };
}

describe('DynamicBatcher', () => {
  it('decodes requests that arrive within the window in one call, each getting its own results in order', async () => {
    const { model, batcher: b } = batcher({ windowMs: 20, maxBatch: 32 });
    const requests = [['ab', 'cd'], ['efg'], ['h', 'ij', 'klm']];
    const results = await Promise.all(requests.map((texts) => b.submit(texts)));
    expect(model.calls.map((c) => c.texts)).toEqual([requests.flat()]);
    expect(results.map(bestTexts)).toEqual(requests.map((texts) => texts.map(reversed)));
  });

  it('requests arriving while a batch decodes form the next batch, first come first served', async () => {
    const { model, batcher: b } = batcher({ windowMs: 1 });
    model.hold();
    const first = b.submit(['a']);
    while (model.calls.length === 0) await tick();
    const later = [b.submit(['b']), b.submit(['c']), b.submit(['d'])];
    model.release();
    await Promise.all([first, ...later]);
    expect(model.calls.map((c) => c.texts)).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('with concurrency 2, a second batch decodes beside the first, and requests arriving while both are busy form the next', async () => {
    const { model, batcher: b } = batcher({ windowMs: 1, concurrency: 2 });
    model.hold();
    const first = b.submit(['a']);
    while (model.calls.length === 0) await tick();
    const second = b.submit(['b']);
    while (model.calls.length === 1) await tick();
    const later = [b.submit(['c']), b.submit(['d']), b.submit(['e'])];
    await new Promise((done) => setTimeout(done, 20)); // far past the window: both are busy
    expect(model.calls.map((c) => c.texts)).toEqual([['a'], ['b']]);
    expect(b.waiting).toBe(3);
    model.release();
    const results = await Promise.all([first, second, ...later]);
    expect(results.map(bestTexts)).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(model.calls.map((c) => c.texts)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    await b.drain();
  });

  it('with concurrency 2, a full batch goes at once and what did not fit takes the other call', async () => {
    const { model, batcher: b } = batcher({ windowMs: 10_000, maxBatch: 2, concurrency: 2 });
    model.hold();
    const requests = [['1'], ['2'], ['3'], ['4'], ['5']].map((t) => b.submit(t));
    while (model.calls.length < 2) await tick();
    expect(model.calls.map((c) => c.texts)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    model.release();
    await b.drain(); // ['5'] goes without waiting out its window
    expect((await Promise.all(requests)).map(bestTexts)).toEqual([
      ['1'],
      ['2'],
      ['3'],
      ['4'],
      ['5'],
    ]);
    expect(model.calls).toHaveLength(3);
  });

  it('never puts more than maxBatch inputs in one call', async () => {
    const { model, batcher: b } = batcher({ windowMs: 50, maxBatch: 4 });
    const requests = [['1', '2'], ['3'], ['4', '5'], ['6'], ['7', '8', '9', '10', '11']];
    const results = await Promise.all(requests.map((texts) => b.submit(texts)));
    expect(model.calls.map((c) => c.texts)).toEqual([
      ['1', '2', '3'], // sent as soon as 5 inputs wait; ['4', '5'] would make 5
      ['4', '5', '6'],
      ['7', '8', '9', '10', '11'], // larger than maxBatch: decoded alone
    ]);
    expect(results.map(bestTexts)).toEqual(requests.map((texts) => texts.map(reversed)));
  });

  it('batches only requests that ask for the same n-best and alignments', async () => {
    const { model, batcher: b } = batcher({ windowMs: 20 });
    const [one, three, oneAgain] = await Promise.all([
      b.submit(['ab']),
      b.submit(['cd'], { nbest: 3 }),
      b.submit(['ef']),
    ]);
    expect(model.calls.map((c) => [c.texts, c.options.nbest ?? 1])).toEqual([
      [['ab', 'ef'], 1],
      [['cd'], 3],
    ]);
    expect(one![0]!.hypotheses).toHaveLength(1);
    expect(three![0]!.hypotheses.map((h) => h.text)).toEqual(['dc', 'dc#1', 'dc#2']);
    expect(oneAgain![0]!.hypotheses[0]!.text).toBe('fe');
  });

  it('one bad request fails alone; the others in its batch still get their results', async () => {
    const { model, batcher: b } = batcher({ windowMs: 20 });
    const outcomes = await Promise.allSettled([
      b.submit(['ab']),
      b.submit(['x', 'poison']),
      b.submit(['cd']),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/poison/);
    expect(bestTexts((outcomes[2] as PromiseFulfilledResult<never>).value)).toEqual(['dc']);
    // The shared batch first, then each request alone to find the culprit.
    expect(model.calls.map((c) => c.texts)).toEqual([
      ['ab', 'x', 'poison', 'cd'],
      ['ab'],
      ['x', 'poison'],
      ['cd'],
    ]);
  });

  it('refuses a request when maxQueue requests are waiting, with a retry delay', async () => {
    const { model, batcher: b } = batcher({ windowMs: 0, maxQueue: 2 });
    model.hold();
    const decoding = b.submit(['a']);
    while (model.calls.length === 0) await tick();
    const waiting = [b.submit(['b']), b.submit(['c'])];
    expect(b.full).toBe(true);
    const refused = await b.submit(['d']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    model.release();
    expect((await Promise.all([decoding, ...waiting])).map(bestTexts)).toEqual([
      ['a'],
      ['b'],
      ['c'],
    ]);
    expect(b.full).toBe(false);
  });

  it('a request that waits past its time limit is rejected and never decoded', async () => {
    const { model, batcher: b } = batcher({ windowMs: 0, timeoutMs: 30 });
    model.hold();
    const decoding = b.submit(['a']).catch((e: unknown) => e);
    while (model.calls.length === 0) await tick();
    const late = b.submit(['b']).catch((e: unknown) => e);
    expect(await late).toBeInstanceOf(RequestTimeoutError);
    expect(b.waiting).toBe(0);
    // The request being decoded is answered at its limit too; its decode finishes unseen.
    expect(await decoding).toBeInstanceOf(RequestTimeoutError);
    model.release();
    expect(model.calls.map((c) => c.texts)).toEqual([['a']]);
  });

  it('drain decodes everything waiting, then refuses new requests', async () => {
    const { model, batcher: b } = batcher({ windowMs: 10_000 });
    const waiting = [b.submit(['a']), b.submit(['b'])];
    await b.drain(); // does not wait out the 10 s window
    expect((await Promise.all(waiting)).map(bestTexts)).toEqual([['a'], ['b']]);
    expect(model.calls).toHaveLength(1);
    await expect(b.submit(['c'])).rejects.toBeInstanceOf(DrainingError);
  });

  it('rejects bad options with the option named', () => {
    expect(() => new DynamicBatcher(async () => [], { maxBatch: 0 })).toThrow(/'maxBatch'.*got 0/);
    expect(() => new DynamicBatcher(async () => [], { windowMs: -1 })).toThrow(/'windowMs'/);
    expect(() => new DynamicBatcher(async () => [], { concurrency: 0 })).toThrow(
      /'concurrency'.*got 0/,
    );
    expect(() => new DynamicBatcher(async () => [], { maxBach: 8 } as never)).toThrow(
      "batcher: unknown option 'maxBach' (did you mean 'maxBatch'?)",
    );
  });
});
