import * as tf from '@tensorflow/tfjs';
import type { SourceInputs } from '../contracts/encoder.js';
import type { Hypothesis, SearchOptions } from '../contracts/search.js';
import { positiveInt } from '../errors/assert.js';
import { ConfigError, type WorkerError } from '../errors/errors.js';
import { type Batch, disposeBatch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { type ComponentConfig, registry } from '../registry/registry.js';
import {
  batchFromHost,
  batchRows,
  buffersOf,
  flattenWeights,
  type HostTensor,
  hostRows,
  type ReplicaSetup,
  type ShardGradients,
  type ShardLoss,
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
}

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
 * (built by name through the registry, with the main thread's weights). Work on a batch
 * is split by rows: the main thread takes the first shard, each worker one of the others.
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

  private constructor(
    readonly model: Seq2Seq,
    workers: ReturnType<typeof startWorker>[],
  ) {
    this.threads = workers.map((worker, i) => new Thread(worker, i + 1, (e) => this.fail(e)));
  }

  /** Starts the worker threads and waits until every replica is built. */
  static async start(model: Seq2Seq, options: ReplicaPoolOptions): Promise<ReplicaPool> {
    positiveInt('ReplicaPool', 'workers', options.workers);
    if (!Array.isArray(options.plugins)) {
      throw new ConfigError("ReplicaPool: option 'plugins' must be a list of module specifiers");
    }
    const setup: ReplicaSetup = {
      plugins: [...options.plugins],
      backend: tf.getBackend(),
      config: model.config,
      parameters: [...model.parameters()].map(([name, v]) => ({ name, size: v.size })),
    };
    const workers = Array.from({ length: options.workers - 1 }, () => startWorker(setup));
    const pool = new ReplicaPool(model, workers);
    try {
      await Promise.all(pool.threads.map((t) => t.ready));
      await pool.syncWeights();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Threads in all, the main thread included. */
  get size(): number {
    return this.threads.length + 1;
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
   * Searches a batch of sources across the threads and returns the n-best lists in input
   * order, as `model.generate` would in one thread. `search` names a registered strategy;
   * every thread builds its own from it. A strategy that samples draws per thread.
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
    const shard = (t: tf.Tensor, [start, size]: [number, number]) =>
      tf.tidy(() => tf.slice(t, start, size) as tf.Tensor);
    const hostShard = (t: tf.Tensor, [start, size]: [number, number]) => hostRows(t, start, size);
    const pending = bounds.slice(1).map((b, i) => {
      const request = {
        kind: 'generate' as const,
        id: 0,
        source: hostShard(source, b),
        mask: hostShard(mask, b),
        ...(inputs ? { inputs: mapValues(inputs, (t) => hostShard(t, b)) } : {}),
        search,
        options,
      };
      const buffers = buffersOf(
        request.source,
        request.mask,
        ...Object.values<HostTensor>(request.inputs ?? {}),
      );
      return this.threads[i]!.call<Hypothesis[][]>(request, buffers);
    });
    const first = bounds[0]!;
    const local = {
      source: shard(source, first),
      mask: shard(mask, first) as tf.Tensor2D,
      inputs: inputs ? mapValues(inputs, (t) => shard(t, first)) : undefined,
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
