/**
 * The body of a {@link ReplicaPool} worker thread: builds a replica of the main thread's
 * model from the registry (after importing the plugin modules it was given), then answers
 * requests one at a time. Runs only inside `new Worker(...)`.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../backend/backend-plan.js';
import { useBackend } from '../backend/use-backend.js';
import { ConfigError } from '../errors/errors.js';
import { disposeBatch } from '../model/batch.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { registry } from '../registry/registry.js';
import {
  assignWeights,
  batchFromHost,
  fromHost,
  inputsFromHost,
  type ReplicaSetup,
  type Reply,
  type Request,
} from './protocol.js';
import { shardGradients } from './shard-loss.js';
import { threadMemory } from './thread-memory.js';

const port = parentPort!;
const setup = workerData as ReplicaSetup;
await useBackend(setup.backend as BackendChoice);
for (const plugin of setup.plugins) await import(plugin);
const model = Seq2Seq.build(setup.config, registry);
checkReplica();
// One request at a time, in arrival order: the pool may send a batch ahead of time.
let previous: Promise<unknown> = Promise.resolve();
port.on('message', (request: Request) => {
  previous = previous.then(() => reply(request)).catch((error: unknown) => fault(request, error));
});
port.postMessage({ ready: true });

function reply(request: Request): Promise<void> {
  return answer(request).then(
    ({ result, transfer }) =>
      port.postMessage({ id: request.id, ok: true, result } satisfies Reply, transfer),
    (error: unknown) => fault(request, error),
  );
}

function fault(request: Request, error: unknown): void {
  port.postMessage({
    id: request.id,
    ok: false,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  } satisfies Reply);
}

async function answer(request: Request): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  if (request.kind === 'memory') return { result: threadMemory(), transfer: [] };
  if (request.weights) assignWeights(model, request.weights);
  if (request.kind === 'weights') return { result: null, transfer: [] };
  if (request.kind === 'gradients') {
    const batch = batchFromHost(request.batch);
    try {
      const { value, grads } = tf.tidy(() => shardGradients(model, batch, request.loss));
      const gradients = new Float32Array(grads.reduce((n, g) => n + g.size, 0));
      let at = 0;
      for (const g of grads) {
        gradients.set(g.dataSync() as Float32Array, at);
        at += g.size;
      }
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...grads]);
      return { result: { loss, gradients }, transfer: [gradients.buffer] };
    } finally {
      disposeBatch(batch);
    }
  }
  const source = fromHost(request.source);
  const mask = fromHost(request.mask) as tf.Tensor2D;
  const inputs = inputsFromHost(request.inputs);
  const strategy = registry.create('search', request.search);
  try {
    const result = await model.generate(source, mask, strategy, request.options, inputs);
    return { result, transfer: [] };
  } finally {
    tf.dispose([source, mask, ...Object.values(inputs ?? {})]);
  }
}

/** The replica must have the main thread's parameters, in its order, of its sizes. */
function checkReplica(): void {
  const mine = [...model.parameters()].map(([name, v]) => `${name}:${v.size}`).join(', ');
  const theirs = setup.parameters.map((p) => `${p.name}:${p.size}`).join(', ');
  if (mine !== theirs) {
    throw new ConfigError(
      `the model built in the worker differs from the main thread's: expected parameters ${theirs}, found ${mine} (do the worker's plugins register the same factories?)`,
    );
  }
}
