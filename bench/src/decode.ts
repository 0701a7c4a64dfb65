/**
 * Times decoding with the reference model (see reference-model.ts): sentences per second
 * for greedy search and beam search at k = 1, 2, 5, 10, beam-5 at several output lengths,
 * and one decoder step at batch 64 and at 64 × 5 = 320 beside the PyTorch anchor's decoder
 * step, run in the same session. `<eos>` is masked out of the distribution for the timing,
 * so every strategy runs exactly `maxLength` steps on a full batch. Wall and process CPU
 * time are both reported: on shared cores CPU time is the steadier of the two.
 *
 * Then sentences per second of greedy and beam-5 decoding at 1 and 2 threads (`ReplicaPool`,
 * as `s2s decode --workers N` runs), interleaved, with the load average and memory per
 * worker thread: a corpus of `--corpus` batches of 64, each batch sent whole to the next
 * free thread (the figure; also with the main thread idle and N worker threads, as
 * `s2s serve` decodes), and one batch with its rows split across the threads. PyTorch's
 * decoder step runs at 1 and 2 threads.
 *
 *   npm run bench:decode [-- --json] [--backend wasm] [--runs 3] [--workers 1,2]
 *                        [--corpus 8] [--torch-threads 1,2] [--no-torch] [--torch-script PATH]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  type BackendChoice,
  disposeBatch,
  disposeTree,
  gatherTree,
  type Memory,
  type SearchStrategy,
  type StepModel,
  tidyTree,
  useBackend,
} from '@s2s/core';
import { ReplicaPool } from '@s2s/core/parallel';
import { BeamSearch, GreedySearch } from '@s2s/search';
import * as tf from '@tensorflow/tfjs';
import { pluginModules, randomBatch, reference, referenceModel } from './reference-model.js';
import { formatTable, memoryReport } from './report.js';
import { runTorchReference } from './torch.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    'max-length': { type: 'string', default: String(reference.target) },
    'no-torch': { type: 'boolean', default: false },
    'torch-script': { type: 'string' },
    workers: { type: 'string', default: '1,2' },
    corpus: { type: 'string', default: '8' },
    'torch-threads': { type: 'string', default: '1,2' },
  },
});
const load = [loadavg()[0]!];

const widths = [1, 2, 5, 10] as const;
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const maxLength = Number(args['max-length']);
const lengths = [...new Set([Math.ceil(maxLength / 4), Math.ceil(maxLength / 2), maxLength])];
const stepBatch = reference.batch * 5;

interface Timing {
  /** Median wall time of one search over the batch. */
  readonly msPerBatch: number;
  /** Median CPU time of this process (user + system) for it: less sensitive to other load. */
  readonly cpuMsPerBatch: number;
  readonly msPerSentence: number;
  readonly sentencesPerSec: number;
  readonly allMs: number[];
}

const backend = await useBackend(args.backend as BackendChoice);
const model = referenceModel();
const batch = randomBatch();
const memory: Memory = tidyTree(() =>
  model.encode(batch.source, batch.sourceMask, { training: false }),
);
const stepModel = neverEnding(model.stepModel());

// Every configuration is warmed up, then all are timed round-robin, so load that drifts
// during the run (other processes share the cores) falls on all of them alike.
const configs: { key: string; strategy: SearchStrategy; steps: number }[] = [
  { key: 'greedy', strategy: new GreedySearch(), steps: maxLength },
  ...widths.map((k) => ({
    key: `beam${k}@${maxLength}`,
    strategy: new BeamSearch({ beamSize: k }),
    steps: maxLength,
  })),
  ...lengths
    .filter((t) => t !== maxLength)
    .map((t) => ({ key: `beam5@${t}`, strategy: new BeamSearch({ beamSize: 5 }), steps: t })),
];
const samples = new Map(configs.map((c) => [c.key, { wall: [] as number[], cpu: [] as number[] }]));
for (let i = 0; i < warmup + runs; i++) {
  for (const { key, strategy, steps } of configs) {
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    await strategy.search(stepModel, memory, { maxLength: steps });
    const c = process.cpuUsage(c0);
    if (i >= warmup) {
      samples.get(key)!.wall.push(performance.now() - t0);
      samples.get(key)!.cpu.push((c.user + c.system) / 1000);
    }
  }
}
const greedy = timing('greedy');
const beam = Object.fromEntries(widths.map((k) => [k, timing(`beam${k}@${maxLength}`)]));
const beam5ByLength = Object.fromEntries(lengths.map((t) => [t, timing(`beam5@${t}`)]));
const [step64, step320] = timeDecoderSteps([reference.batch, stepBatch]) as [Step, Step];

stepModel.dispose();
disposeTree(memory);
load.push(loadavg()[0]!);
const parallel = await timeParallelDecoding();
disposeBatch(batch);
model.dispose();

const torchRuns = args['no-torch']
  ? []
  : args['torch-threads'].split(',').map((threads) => ({
      threads: Number(threads),
      figures: runTorchReference({ script: args['torch-script'], threads: Number(threads) }),
    }));
load.push(loadavg()[0]!);
const torchOk = torchRuns.filter(
  (t): t is { threads: number; figures: Exclude<typeof t.figures, string> } =>
    typeof t.figures !== 'string',
);
// The best thread count's decoder step is the one compared against.
const torch: Exclude<(typeof torchRuns)[number]['figures'], string> | string =
  torchOk.sort((a, b) => a.figures.decoderStepMs - b.figures.decoderStepMs)[0]?.figures ??
  (args['no-torch']
    ? 'skipped (--no-torch)'
    : String(torchRuns.find((t) => typeof t.figures === 'string')?.figures));

const result = {
  backend: backend.name,
  backendDescription: backend.description,
  model: reference,
  batch: reference.batch,
  sourceLength: reference.source,
  maxLength,
  runs,
  greedy,
  beam,
  beam5ByOutputLength: beam5ByLength,
  decoderStep: {
    [reference.batch]: { ms: round(step64.wall, 2), cpuMs: round(step64.cpu, 2) },
    [stepBatch]: { ms: round(step320.wall, 2), cpuMs: round(step320.cpu, 2) },
  },
  torch:
    typeof torch === 'string'
      ? null
      : { decoderStepMs: torch.decoderStepMs, topkMs: torch.topkMs, line: torch.line },
  torchNote: typeof torch === 'string' ? torch : undefined,
  torchByThreads: torchOk.map((t) => ({
    threads: t.threads,
    decoderStepMs: t.figures.decoderStepMs,
  })),
  loadAverage1m: load.map((l) => round(l, 2)),
  parallel,
  targets: {
    /** Target ≤ 2.5. */
    beam5ToGreedy: round(beam[5]!.msPerBatch / greedy.msPerBatch, 2),
    beam5ToGreedyCpu: round(beam[5]!.cpuMsPerBatch / greedy.cpuMsPerBatch, 2),
    /** What the decoder step alone costs at 5× the rows: a floor under beam5ToGreedy. */
    decoderStep320To64Cpu: round(step320.cpu / step64.cpu, 2),
    /** Constant when time grows linearly in k. */
    beamCpuMsPerWidth: Object.fromEntries(
      widths.map((k) => [k, round(beam[k]!.cpuMsPerBatch / k)]),
    ),
    /** Constant when time grows linearly in the output length. */
    beam5CpuMsPerStep: Object.fromEntries(
      lengths.map((t) => [t, round(beam5ByLength[t]!.cpuMsPerBatch / t)]),
    ),
    /** Target ≤ 1.5. */
    decoderStepToTorch:
      typeof torch === 'string' ? null : round(step320.wall / torch.decoderStepMs, 2),
  },
  tensorsLeft: tf.memory().numTensors,
};

if (args.json) {
  console.log(JSON.stringify(result));
} else {
  const r = reference;
  console.log(
    `decoding: LSTM enc-dec + additive attention, E=${r.embedding} H=${r.hidden} A=${r.attention} V=${r.vocab}; batch ${r.batch}, source length ${r.source}, ${maxLength} output steps (<eos> masked, so every row runs them all)`,
  );
  console.log(
    `${backend.description}; median of ${runs} runs after ${warmup} warm-up, configurations interleaved\n`,
  );
  console.log(
    '| strategy | ms / batch | ms / sentence | sentences / s | × greedy | CPU ms / batch | × greedy (CPU) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const row = (name: string, t: Timing) =>
    console.log(
      `| ${name} | ${t.msPerBatch} | ${t.msPerSentence} | ${t.sentencesPerSec} | ${round(t.msPerBatch / greedy.msPerBatch, 2)} | ${t.cpuMsPerBatch} | ${round(t.cpuMsPerBatch / greedy.cpuMsPerBatch, 2)} |`,
    );
  row('greedy', greedy);
  for (const k of widths) row(`beam k = ${k}`, beam[k]!);
  console.log('\n| beam k = 5, output steps | ms / batch | CPU ms / batch | CPU ms / step |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const t of lengths) {
    const b = beam5ByLength[t]!;
    console.log(`| ${t} | ${b.msPerBatch} | ${b.cpuMsPerBatch} | ${round(b.cpuMsPerBatch / t)} |`);
  }
  const both = (x: Step) => `${round(x.wall, 2)} (${round(x.cpu, 2)})`;
  console.log(
    `\n| one decoder step | batch ${r.batch}: ms (CPU ms) | batch ${stepBatch}: ms (CPU ms) | ratio to PyTorch at ${stepBatch} |`,
  );
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| s2s, ${backend.description} | ${both(step64)} | ${both(step320)} | ${result.targets.decoderStepToTorch ?? 'n/a'} |`,
  );
  if (typeof torch === 'string') console.log(`| PyTorch | n/a | n/a | ${torch} |`);
  for (const t of torchOk)
    console.log(
      `| PyTorch (${t.threads} thread${t.threads > 1 ? 's' : ''}, same session) | n/a | ${t.figures.decoderStepMs} | ${round(t.figures.decoderStepMs / (torch as { decoderStepMs: number }).decoderStepMs, 2)} |`,
    );
  console.log(
    `\nparallel decoding, a corpus of ${parallel.corpusBatches} batches of ${reference.batch} (${parallel.corpusBatches * reference.batch} sentences), each batch whole to the next free thread (ReplicaPool.generateBatch; 'N worker threads, main idle' is how s2s decode/eval --workers N run, 'N' with the main thread computing too is how validation inside s2s train runs); <eos> given no weight, so every row runs ${maxLength} steps; ${runs} interleaved runs after ${warmup} warm-up`,
  );
  console.log(
    `load average (1 min) at start, after the one-thread part, at the end: ${result.loadAverage1m.join(', ')}; CPU ms is this process's, all threads together: with N idle cores the wall speed-up is at most N × (CPU ms at 1 thread ÷ CPU ms at N)\n`,
  );
  console.log(
    formatTable(
      [
        'strategy',
        'threads',
        'ms / corpus (median)',
        'all runs',
        'CPU ms / corpus',
        'sentences / s',
        'speed-up over 1 thread',
      ],
      parallel.corpus.map((p) => [
        p.strategy,
        p.threads,
        p.ms,
        p.allMs.join(' / '),
        p.cpuMs,
        p.sentencesPerSec,
        p.toOneThread,
      ]),
    ),
  );
  console.log(
    `\none batch of ${reference.batch}, its rows split across the threads (ReplicaPool.generate, as a single batch is decoded):\n`,
  );
  console.log(
    formatTable(
      [
        'strategy',
        'threads',
        'ms / batch (median)',
        'all runs',
        'CPU ms / batch',
        'sentences / s',
        'speed-up over 1 thread',
      ],
      parallel.rows.map((p) => [
        p.strategy,
        p.workers,
        p.msPerBatch,
        p.allMs.join(' / '),
        p.cpuMs,
        p.sentencesPerSec,
        p.toOneThread,
      ]),
    ),
  );
  console.log(`\n${parallel.memory.text}`);
}

/**
 * Greedy and beam-5 with 1, 2, … threads, round-robin: a corpus of `--corpus` batches sent
 * whole to free threads (and at the largest count, with the main thread idle and that many
 * worker threads), and one batch split by rows. A model of its own whose output bias for
 * `<eos>` is −10⁹, so that no row finishes early on any thread.
 */
async function timeParallelDecoding() {
  const counts = args.workers.split(',').map(Number);
  const corpusBatches = Number(args.corpus);
  const decoding = referenceModel();
  const bias = decoding.parameters().get('output.bias')!;
  const eos = decoding.stepModel().eos;
  bias.assign(tf.tidy(() => tf.add(bias, tf.oneHot(eos, reference.vocab).mul(-1e9))));
  const setups = [
    ...counts.map((workers) => ({ workers, mainThread: true, label: String(workers) })),
    ...(Math.max(...counts) > 1
      ? [
          {
            workers: Math.max(...counts),
            mainThread: false,
            label: `${Math.max(...counts)} worker threads, main idle`,
          },
        ]
      : []),
  ];
  const pools = await Promise.all(
    setups.map(({ workers, mainThread }) =>
      ReplicaPool.start(decoding, { workers, mainThread, plugins: pluginModules }),
    ),
  );
  const corpus = Array.from({ length: corpusBatches }, (_, i) => randomBatch(100 + 3 * i));
  const strategies = [
    { strategy: 'greedy', config: { name: 'greedy' } },
    { strategy: 'beam k = 5', config: { name: 'beam', beamSize: 5 } },
  ];
  const times = new Map<string, number[]>();
  const cpuTimes = new Map<string, number[]>();
  const record = (map: Map<string, number[]>, key: string, value: number) =>
    map.set(key, [...(map.get(key) ?? []), value]);
  for (let i = 0; i < warmup + runs; i++) {
    for (const { strategy, config } of strategies) {
      for (const [p, pool] of pools.entries()) {
        const [t0, c0] = [performance.now(), process.cpuUsage()];
        await Promise.all(
          corpus.map((b) => pool.generateBatch(b.source, b.sourceMask, config, { maxLength })),
        );
        const c = process.cpuUsage(c0);
        process.stderr.write(
          `bench: corpus, ${strategy}, ${setups[p]!.label} thread(s): ${(performance.now() - t0).toFixed(0)} ms, CPU ${((c.user + c.system) / 1000).toFixed(0)} ms\n`,
        );
        if (i >= warmup) {
          record(times, `corpus/${strategy}/${setups[p]!.label}`, performance.now() - t0);
          record(cpuTimes, `corpus/${strategy}/${setups[p]!.label}`, (c.user + c.system) / 1000);
        }
      }
      for (const [p, pool] of pools.entries()) {
        if (!setups[p]!.mainThread) continue;
        const [t0, c0] = [performance.now(), process.cpuUsage()];
        await pool.generate(batch.source, batch.sourceMask, config, { maxLength });
        const c = process.cpuUsage(c0);
        if (i >= warmup) {
          record(times, `${strategy}/${counts[p]}`, performance.now() - t0);
          record(cpuTimes, `${strategy}/${counts[p]}`, (c.user + c.system) / 1000);
        }
      }
    }
    process.stderr.write(
      `bench: parallel round ${i + 1} of ${warmup + runs}${i < warmup ? ' (warm-up)' : ''}, load ${loadavg()[0]!.toFixed(2)}\n`,
    );
  }
  const largest = pools[counts.length - 1]!;
  const memoryNow = await memoryReport({ workerMemory: () => largest.memory() });
  for (const pool of pools) await pool.close();
  for (const b of corpus) disposeBatch(b);
  decoding.dispose();
  const rows = strategies.flatMap(({ strategy }) =>
    counts.map((workers) => {
      const all = times.get(`${strategy}/${workers}`)!;
      const one = median(times.get(`${strategy}/${counts[0]}`)!);
      const ms = median(all);
      return {
        strategy,
        workers,
        msPerBatch: round(ms),
        allMs: all.map((t) => round(t)),
        cpuMs: round(median(cpuTimes.get(`${strategy}/${workers}`)!)),
        sentencesPerSec: round((1000 * reference.batch) / ms),
        toOneThread: round(one / ms, 2),
      };
    }),
  );
  const sentences = corpusBatches * reference.batch;
  const corpusRows = strategies.flatMap(({ strategy }) =>
    setups.map(({ label }) => {
      const all = times.get(`corpus/${strategy}/${label}`)!;
      const one = median(times.get(`corpus/${strategy}/${setups[0]!.label}`)!);
      const ms = median(all);
      return {
        strategy,
        threads: label,
        ms: round(ms),
        allMs: all.map((t) => round(t)),
        cpuMs: round(median(cpuTimes.get(`corpus/${strategy}/${label}`)!)),
        sentencesPerSec: round((1000 * sentences) / ms),
        toOneThread: round(one / ms, 2),
      };
    }),
  );
  return { corpusBatches, corpus: corpusRows, rows, memory: memoryNow };
}

/** The medians of one configuration's timed runs. */
function timing(key: string): Timing {
  const { wall, cpu } = samples.get(key)!;
  const ms = median(wall);
  return {
    msPerBatch: round(ms),
    cpuMsPerBatch: round(median(cpu)),
    msPerSentence: round(ms / reference.batch, 2),
    sentencesPerSec: round((1000 * reference.batch) / ms),
    allMs: wall.map((t) => round(t)),
  };
}

interface Step {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Median wall and CPU time of one decoder step (log-probabilities included) at each batch
 * size, the sizes timed round-robin.
 */
function timeDecoderSteps(sizes: readonly number[]): Step[] {
  const setups = sizes.map((rows) => {
    const index = tf.tensor1d(
      Array.from({ length: rows }, (_, i) => i % reference.batch),
      'int32',
    );
    const cache = tidyTree(() => gatherTree(stepModel.prepare(memory), index));
    const state = tidyTree(() => stepModel.initialState(cache));
    const prev = tf.randomUniform([rows], 4, reference.vocab, 'int32', 3) as tf.Tensor1D;
    return { index, cache, state, prev, wall: [] as number[], cpu: [] as number[] };
  });
  for (let i = 0; i < 3 + 20; i++) {
    for (const s of setups) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      // wasm kernels run synchronously, so the step has finished when it returns.
      const out = stepModel.step(s.prev, s.state, s.cache);
      const c = process.cpuUsage(c0);
      if (i >= 3) {
        s.wall.push(performance.now() - t0);
        s.cpu.push((c.user + c.system) / 1000);
      }
      disposeTree(out);
    }
  }
  return setups.map(({ index, cache, state, prev, wall, cpu }) => {
    disposeTree([index, cache, state, prev]);
    return { wall: median(wall), cpu: median(cpu) };
  });
}

/** The model with `<eos>` masked out, so no row finishes before `maxLength`. */
function neverEnding(inner: StepModel): StepModel & { dispose(): void } {
  const mask = new Float32Array(inner.vocabSize);
  mask[inner.eos] = -Infinity;
  const bias = tf.tensor2d(mask, [1, inner.vocabSize]);
  return {
    ...inner,
    step: (prev, state, cache) =>
      tidyTree(() => {
        const r = inner.step(prev, state, cache);
        return { ...r, logProbs: tf.add(r.logProbs, bias) as tf.Tensor2D };
      }),
    dispose: () => bias.dispose(),
  };
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}
