import { Worker } from 'node:worker_threads';
import { WorkerError } from '../errors/errors.js';
import type { ReplicaSetup, Reply, Request } from './protocol.js';

/** Starts a worker thread that builds a replica from `setup` (see `worker-main.ts`). */
export function startWorker(setup: ReplicaSetup): Worker {
  return new Worker(workerScript(), { workerData: setup, execArgv: workerExecArgv() });
}

/** One worker thread: request ids, pending promises, and its failure modes. */
export class Thread {
  readonly ready: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended = false;

  constructor(
    private readonly worker: Worker,
    readonly index: number,
    onFailure: (error: WorkerError) => void,
  ) {
    worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (error: WorkerError) => {
        reject(error);
        onFailure(error);
      };
      worker.on('message', (message: Reply | { ready: true }) => {
        if ('ready' in message) return resolve();
        this.settle(message);
      });
      worker.on('error', (error: Error) => fail(new WorkerError(index, describe(error))));
      worker.on('exit', (code) => {
        const wasEnded = this.ended;
        this.ended = true;
        if (!wasEnded) fail(new WorkerError(index, `exited unexpectedly (code ${code})`));
      });
    });
    // A worker failing before it is ready rejects `ready`; nobody may be awaiting it yet.
    this.ready.catch(() => {});
  }

  call<T>(request: Request, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.ended) return Promise.reject(new WorkerError(this.index, 'has ended'));
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) =>
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
    // Keep the process alive only while an answer is awaited.
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ ...request, id }, transfer);
    return promise;
  }

  rejectAll(error: WorkerError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.rejectAll(new WorkerError(this.index, 'the pool was closed'));
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new WorkerError(this.index, reply.error));
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The worker's script: beside this file once built. Running from source (tests, which
 * import `src/`), the built copy in `dist/` — Node cannot run TypeScript in a worker.
 */
function workerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/parallel/worker-main.js', here);
  return new URL('./worker-main.js', here);
}

/**
 * The parent's Node options without the `source` export condition, which points packages
 * at TypeScript sources that a worker cannot run (set by tests that import `src/`).
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '--conditions' || a === '-C') && args[i + 1] === 'source') i++;
    else if (a !== '--conditions=source') out.push(a);
  }
  return out;
}

function describe(error: Error): string {
  return `${error.name}: ${error.message}`;
}
