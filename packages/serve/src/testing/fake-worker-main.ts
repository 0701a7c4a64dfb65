/**
 * A queue worker process for tests: `node fake-worker-main.js REDIS_URL QUEUE HOLD_MS`.
 * It "decodes" by reversing each line, but first holds each job HOLD_MS, so a test can
 * kill it in the middle of one. It prints `took <job id>` when it starts a job.
 */
import { startQueueWorker } from '../queue/worker.js';
import { reversed } from './fake-model.js';

const [url, queueName, holdMs] = process.argv.slice(2);
await startQueueWorker<unknown, string>(
  url!,
  async (job) => {
    await new Promise((done) => setTimeout(done, Number(holdMs)));
    return job.texts.map(reversed);
  },
  {
    queueName: queueName!,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
    onJob: ({ id, state }) => {
      if (state === 'active') process.stdout.write(`took ${id}\n`);
    },
  },
);
process.stdout.write('ready\n');
