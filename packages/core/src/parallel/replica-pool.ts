import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { SourceInputs } from '../contracts/encoder.js';
import type { Hypothesis, SearchOptions } from '../contracts/search.js';
import { ConfigError, type WorkerError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { type Batch, disposeBatch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { type ComponentConfig, registry } from '../registry/registry.js';
import {
  batchFromHost,
  batchRows,
  buffersOf,
  flattenWeights,
  fromHost,
  type HostTensor,
  hostRows,
  type ReplicaSetup,
  type Request,
  type ShardGradients,
  type ShardLoss,
  toHost,
  tokensOf,
  type WorkerMemory,
} from './protocol.js';
import { shardGradients } from './shard-loss.js';
import { startWorker, Thread } from './worker-thread.js';

/** Options of {@link ReplicaPool.start}. */
export interface ReplicaPoolOptions {
  /** Threads in all, the main thread included: `workers − 1` worker threads are started. */
  readonly workers: number;
  /**
   * Modules each worker imports, in order, before it builds its replica: the plugin
   * modules that register the model's encoder, decoder, attention, output and search
   * factories in the global registry (`@s2s/encoders`, a `--plugin` file's URL, …).
   * Specifiers resolve from `@s2s/core`'s own folder; pass file URLs for anything else.
   */
  readonly plugins: readonly string[];
  /**
   * Whether the main thread is one of the `workers` and computes too (default true): it
   * takes the first shard of every split batch and decodes whole batches in turn with the
   * workers. `false` starts `workers` worker threads and leaves the main thread free for
   * other work (a server's HTTP); {@link ReplicaPool.gradients} then refuses to run.
   */
  readonly mainThread?: boolean;
}

/** {@link ReplicaPoolOptions} as a zod schema, with its default. */
export const replicaPoolOptions = z.strictObject({
  workers: z.int().positive().describe('Threads in all, the main thread included'),
  plugins: z.array(z.string()).describe('Modules each worker imports before building its replica'),
  mainThread: z.boolean().default(true).describe('Whether the main thread computes too'),
});

/** What one data-parallel step computed, before clipping and the update. */
export interface ParallelGradients {
  /** Mean loss per real target token over the whole batch. */
  readonly value: tf.Scalar;
  /** Gradient of that mean for every parameter, by variable name. */
  readonly grads: tf.NamedTensorMap;
  /** Real target tokens in the batch. */
  readonly tokens: number;
}

/**
 * A main-thread model and `workers − 1` worker threads that each hold a replica of it
 * (built by name through the registry, with the main thread's weights), or `workers`
 * worker threads and a main thread that only hands out work (`mainThread: false`).
 *
 * Two ways to share decoding: {@link ReplicaPool.generate} splits one batch's rows across
 * the threads (for a single batch); {@link ReplicaPool.generateBatch} sends a whole batch to
 * whichever thread is free first, so several batches decode at once, each thread paying
 * the per-step overhead of the decoder only for its own batch (for a corpus of batches, a
 * server's concurrent requests).
 *
 * Training ({@link ReplicaPool.gradients}) sends the current weights with every shard, so
 * replicas are bit-identical copies of the main model and only the main thread keeps an
 * optimizer: checkpoints and exact resume are unchanged. A worker that crashes or throws
 * fails the request with a {@link WorkerError} and closes the pool; nothing hangs.
 * Workers never keep the process alive while idle; {@link ReplicaPool.close} ends them.
 */
export class ReplicaPool {
  private readonly threads: Thread[];
  private failure?: WorkerError;
  private closed = false;
  /** Whole batches waiting for a free thread, first come first served. */
  private readonly queue: BatchJob[] = [];
  /** Batches sent to each worker thread and not yet answered. */
  private readonly outstanding: number[];
  /** Whether the main thread is decoding a batch of {@link generateBatch}. */
  private mainBusy = false;
  /** Batches of {@link generateBatch} each thread has decoded. */
  private readonly counts: number[];

  private constructor(
    readonly model: Seq2Seq,
    workers: ReturnType<typeof startWorker>[],
    /** Whether the main thread computes too (see {@link ReplicaPoolOptions.mainThread}). */
    readonly mainThread: boolean,
  ) {
    this.threads = workers.map((worker, i) => new Thread(worker, i + 1, (e) => this.fail(e)));
    this.outstanding = workers.map(() => 0);
    this.counts = Array.from({ length: this.size }, () => 0);
  }

  /** Starts the worker threads and waits until every replica is built. */
  static async start(model: Seq2Seq, options: ReplicaPoolOptions): Promise<ReplicaPool> {
    const o = parseOptions('ReplicaPool', replicaPoolOptions, options);
    const setup: ReplicaSetup = {
      plugins: o.plugins,
      backend: tf.getBackend(),
      config: model.config,
      parameters: [...model.parameters()].map(([name, v]) => ({ name, size: v.size })),
    };
    const mainThread = o.mainThread;
    const count = mainThread ? o.workers - 1 : o.workers;
    const workers = Array.from({ length: count }, () => startWorker(setup));
    const pool = new ReplicaPool(model, workers, mainThread);
    try {
      await Promise.all(pool.threads.map((t) => t.ready));
      await pool.syncWeights();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Threads that compute: the worker threads, and the main thread unless `mainThread: false`. */
  get size(): number {
    return this.threads.length + (this.mainThread ? 1 : 0);
  }

  /**
   * Gradients of the masked mean token loss over `batch`, its rows split across the
   * threads. Each shard's gradient is weighted by its share of the batch's real target
   * tokens, so the result is the single-thread gradient up to summation order.
   * `seeds` seeds each shard's dropout (one per thread; only the first `shards` are used).
   */
  async gradients(
    batch: Batch,
    loss: Omit<ShardLoss, 'seed'>,
    seeds: readonly number[],
  ): Promise<ParallelGradients> {
    this.check();
    if (!this.mainThread) {
      throw new ConfigError(
        'ReplicaPool: gradients need the main thread to compute (mainThread: true), found a pool started with mainThread: false',
      );
    }
    const rows = batch.targetMask.shape[0];
    const bounds = splitRows(rows, this.size);
    const hosts = bounds.map(([start, size]) => batchRows(batch, start, size));
    const shares = hosts.map(tokensOf);
    const total = shares.reduce((a, b) => a + b, 0);
    const weights = bounds.length > 1 ? flattenWeights(this.model) : undefined;
    const pending = hosts.slice(1).map((host, i) => {
      const weightsCopy = i === bounds.length - 2 ? weights! : weights!.slice();
      return this.threads[i]!.call<ShardGradients>(
        {
          kind: 'gradients',
          id: 0,
          weights: weightsCopy,
          batch: host,
          loss: { ...loss, seed: seeds[i + 1]! },
        },
        [weightsCopy.buffer as ArrayBuffer, ...buffersOf(host)],
      );
    });
    // The main thread's shard runs while the workers compute theirs.
    const local = batchFromHost(hosts[0]!);
    let mine: { value: tf.Scalar; grads: tf.Tensor[] };
    try {
      mine = tf.tidy(() => shardGradients(this.model, local, { ...loss, seed: seeds[0]! }));
    } catch (error) {
      await Promise.allSettled(pending);
      throw error;
    } finally {
      disposeBatch(local);
    }
    let theirs: ShardGradients[];
    try {
      theirs = await Promise.all(pending);
    } catch (error) {
      tf.dispose([mine.value, ...mine.grads]);
      throw error;
    }
    const variables = [...this.model.parameters().values()];
    const combined = tf.tidy(() => {
      const share = (i: number) => shares[i]! / total;
      const value = theirs.reduce(
        (sum, r, i) => tf.add(sum, tf.scalar(r.loss * share(i + 1))),
        tf.mul(mine.value, share(0)),
      ) as tf.Scalar;
      const grads: tf.NamedTensorMap = {};
      let at = 0;
      variables.forEach((v, p) => {
        let g = tf.mul(mine.grads[p]!, share(0));
        theirs.forEach((r, i) => {
          const part = tf.tensor(r.gradients.subarray(at, at + v.size), v.shape, 'float32');
          g = tf.add(g, tf.mul(part, share(i + 1)));
        });
        grads[v.name] = g;
        at += v.size;
      });
      return { value, grads };
    });
    tf.dispose([mine.value, ...mine.grads]);
    return { ...combined, tokens: total };
  }

  /**
   * Searches a batch of sources with its rows split across the threads and returns the
   * n-best lists in input order, as `model.generate` would in one thread. `search` names a
   * registered strategy; every thread builds its own from it. A strategy that samples
   * draws per thread. For several batches, {@link generateBatch} is faster.
   */
  async generate(
    source: tf.Tensor,
    mask: tf.Tensor2D,
    search: ComponentConfig,
    options: SearchOptions,
    inputs?: SourceInputs,
  ): Promise<Hypothesis[][]> {
    this.check();
    // Built here first, so an unknown name fails before any worker is asked.
    const strategy = registry.create('search', search);
    const bounds = splitRows(mask.shape[0], this.size);
    // Without the main thread, every shard goes to a worker.
    const remote = this.mainThread ? bounds.slice(1) : bounds;
    const pending = remote.map(([start, size], i) =>
      this.send<Hypothesis[][]>(this.threads[i]!, {
        kind: 'generate',
        id: 0,
        source: hostRows(source, start, size),
        mask: hostRows(mask, start, size),
        ...(inputs ? { inputs: mapValues(inputs, (t) => hostRows(t, start, size)) } : {}),
        search,
        options,
      }),
    );
    if (!this.mainThread) return (await Promise.all(pending)).flat();
    const [start, size] = bounds[0]!;
    const shard = (t: tf.Tensor) => tf.tidy(() => tf.slice(t, start, size) as tf.Tensor);
    const local = {
      source: shard(source),
      mask: shard(mask) as tf.Tensor2D,
      inputs: inputs ? mapValues(inputs, shard) : undefined,
    };
    let mine: Hypothesis[][];
    try {
      mine = await this.model.generate(local.source, local.mask, strategy, options, local.inputs);
    } catch (error) {
      await Promise.allSettled(pending);
      throw error;
    } finally {
      tf.dispose([local.source, local.mask, ...Object.values(local.inputs ?? {})]);
    }
    const theirs = await Promise.all(pending);
    return [mine, ...theirs].flat();
  }

  /**
   * Searches one whole batch on whichever thread is free first and returns its n-best
   * lists in input order, as `model.generate` would. Calls made while every thread is busy
   * wait in call order; the sources are copied at the call, so the caller may dispose its
   * tensors as soon as this returns. Start several calls at once to decode several batches
   * at once; each result is that batch's alone, so reassembling them is the caller's order.
   * With the main thread computing, each worker is sent its next batch before it finishes
   * the current one (the main thread cannot hand out work while it decodes).
   */
  generateBatch(
    source: tf.Tensor,
    mask: tf.Tensor2D,
    search: ComponentConfig,
    options: SearchOptions,
    inputs?: SourceInputs,
  ): Promise<Hypothesis[][]> {
    try {
      this.check();
      // Built here first, so an unknown name fails before any worker is asked.
      registry.create('search', search);
    } catch (error) {
      return Promise.reject(error);
    }
    const request: GenerateRequest = {
      kind: 'generate',
      id: 0,
      source: toHost(source),
      mask: toHost(mask),
      ...(inputs ? { inputs: mapValues(inputs, toHost) } : {}),
      search,
      options,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  /**
   * Batches of {@link generateBatch} each thread has decoded so far: the main thread first
   * when it computes, then each worker thread.
   */
  batchCounts(): number[] {
    return [...this.counts];
  }

  /** Batches of {@link generateBatch} waiting for a free thread. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Hands queued batches to free threads: first one to every idle worker, then one to the
   * main thread (when it computes); while the main thread decodes, each worker gets a
   * second, so that it never waits for the main thread to answer. At the tail of a corpus
   * the main thread takes the last batches before any worker gets a second one.
   */
  private pump(): void {
    if (this.failure || this.closed) {
      const error = this.failure ?? new ConfigError('ReplicaPool: the pool is closed');
      for (const job of this.queue.splice(0)) job.reject(error);
      return;
    }
    const fill = (limit: number) =>
      this.threads.forEach((thread, w) => {
        if (this.outstanding[w]! >= limit || this.queue.length === 0) return;
        const job = this.queue.shift()!;
        this.outstanding[w]!++;
        this.send<Hypothesis[][]>(thread, job.request)
          .then((result) => {
            this.counts[w + (this.mainThread ? 1 : 0)]!++;
            job.resolve(result);
          }, job.reject)
          .finally(() => {
            this.outstanding[w]!--;
            this.pump();
          });
      });
    fill(1);
    const mine = this.mainThread && !this.mainBusy ? this.queue.shift() : undefined;
    if (mine) this.mainBusy = true;
    if (this.mainBusy) fill(2);
    if (mine) void this.runHere(mine);
  }

  /** Decodes a queued batch in the main thread. */
  private async runHere(job: BatchJob): Promise<void> {
    const { request } = job;
    const source = fromHost(request.source);
    const mask = fromHost(request.mask) as tf.Tensor2D;
    const inputs = request.inputs ? mapValues(request.inputs, fromHost) : undefined;
    try {
      const strategy = registry.create('search', request.search);
      const result = await this.model.generate(source, mask, strategy, request.options, inputs);
      this.counts[0]!++;
      job.resolve(result);
    } catch (error) {
      job.reject(error);
    } finally {
      tf.dispose([source, mask, ...Object.values(inputs ?? {})]);
      this.mainBusy = false;
      this.pump();
    }
  }

  /** Sends a search request to a worker, moving (not copying) its host tensors. */
  private send<T>(thread: Thread, request: GenerateRequest): Promise<T> {
    const buffers = buffersOf(
      request.source,
      request.mask,
      ...Object.values<HostTensor>(request.inputs ?? {}),
    );
    return thread.call<T>(request, buffers);
  }

  /** Sends the main model's current weights to every worker (after training, a restore). */
  async syncWeights(): Promise<void> {
    this.check();
    const weights = flattenWeights(this.model);
    await Promise.all(
      this.threads.map((t) => {
        const copy = weights.slice();
        return t.call({ kind: 'weights', id: 0, weights: copy }, [copy.buffer]);
      }),
    );
  }

  /** Each worker thread's memory (the main thread's is `tf.memory()` here). */
  memory(): Promise<WorkerMemory[]> {
    this.check();
    return Promise.all(this.threads.map((t) => t.call<WorkerMemory>({ kind: 'memory', id: 0 })));
  }

  /** Ends every worker thread. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    this.pump();
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new ConfigError('ReplicaPool: the pool is closed');
  }

  private fail(error: WorkerError): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    for (const t of this.threads) t.rejectAll(error);
    void this.close();
  }
}

type GenerateRequest = Extract<Request, { kind: 'generate' }>;

/** A whole batch waiting for a thread (see {@link ReplicaPool.generateBatch}). */
interface BatchJob {
  readonly request: GenerateRequest;
  resolve(result: Hypothesis[][]): void;
  reject(error: unknown): void;
}

/** `[start, size]` of up to `parts` contiguous, near-equal row ranges, none empty. */
export function splitRows(rows: number, parts: number): [number, number][] {
  const n = Math.min(rows, parts);
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(rows / n) + (i < rows % n ? 1 : 0);
    out.push([start, size]);
    start += size;
  }
  return out;
}

function mapValues<A, B>(record: Readonly<Record<string, A>>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
