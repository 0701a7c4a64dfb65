import { readFileSync } from 'node:fs';
import type { BackendChoice, PluginKind } from '@s2s/core';
import { Command, Option } from 'commander';
import { type CliIO, writeLine } from './io.js';
import { collect, finiteNumber, integer, positiveInteger } from './parsers.js';
import { queueVerbs } from './queue-verbs.js';

/** Options every verb takes. */
export interface CommonFlags {
  readonly backend: BackendChoice;
  readonly plugin?: readonly string[];
  readonly verbose?: boolean;
}

/**
 * The backends `--backend` offers: core's `backendChoices` that run in Node.js (not WebGL
 * or WebGPU), spelled out here so that `s2s --help` answers without loading TensorFlow.js
 * (a test keeps the two equal).
 */
export const backendNames: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/**
 * The `s2s` command line as a commander program writing to `io`. Each verb's action
 * stores its exit status in `result.status`.
 */
export function createProgram(io: CliIO, result: { status: number }): Command {
  const program = new Command('s2s')
    .description('Train, evaluate, decode with and inspect s2s sequence-to-sequence models.')
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`s2s: ${s.replace(/^error: /, 'error: ')}`),
    })
    .showSuggestionAfterError()
    .addHelpText('after', '\nRun "s2s <verb> --help" for the options of a verb.');

  workersOption(
    common(
      program
        .command('train')
        .summary('train a model for a task')
        .description(
          'Reads --data through the task, holds out a dev set, fits the task pipeline, trains and saves the model.',
        )
        .argument('<task>', 'registered task name (see "s2s list task")')
        .requiredOption('--data <path>', 'training data, in the format the task reads (required)')
        .option(
          '--dev <path>',
          'held-out data (default: the task splits --data, or holds out training.devFraction)',
        )
        .option(
          '--config <file>',
          'JSON settings overriding the task defaults key by key: {"model", "training", "search", "data"}',
        )
        .option(
          '--out <dir>',
          'run folder for the model, checkpoints and log (default: runs/<task>)',
        )
        .option('--resume', 'continue the run in --out exactly where its last checkpoint stopped')
        .option(
          '--epochs <n>',
          'train this many epochs in all (overrides training.epochs; may extend a resumed run)',
          positiveInteger,
        )
        .option(
          '--batch-size <n>',
          'inputs decoded at once when measuring the dev metric',
          positiveInteger,
          32,
        ),
    ),
  ).action(async (task: string, flags) => {
    const parallel = await prepare(flags, io);
    const { trainCommand } = await import('../train/train-command.js');
    result.status = await trainCommand(task, { ...flags, parallel }, io);
  });

  searchOptions(
    workersOption(
      common(
        program
          .command('eval')
          .summary("score a model on a data file with its task's metrics")
          .argument('<model>', 'model folder, or the run folder "s2s train" wrote')
          .requiredOption(
            '--data <path>',
            'examples with references, in the format the task reads (required)',
          )
          .option(
            '--config <file>',
            'JSON settings overriding the saved ones key by key for reading --data and searching: {"data", "search"}',
          )
          .option('--json', 'print the scores as one JSON object')
          .option(
            '--all',
            'also score the examples the task leaves out of training (too long); by default they are counted and reported',
          )
          .option(
            '--merge-references',
            'score examples with the same input once, against all their references (multi-reference test sets)',
          )
          .option('--batch-size <n>', 'inputs decoded at once', positiveInteger, 32),
      ),
    ),
  ).action(async (model: string, flags) => {
    const parallel = await prepare(flags, io);
    const { evalCommand } = await import('../eval/eval-command.js');
    await evalCommand(model, { ...flags, parallel }, io);
  });

  searchOptions(
    workersOption(
      common(
        program
          .command('decode')
          .summary('decode lines from a file or stdin')
          .argument('<model>', 'model folder, or the run folder "s2s train" wrote')
          .argument('[file]', 'input lines (default: stdin)')
          .option(
            '--json',
            'one JSON object per input: outputs with scores, per-token log-probabilities, alignments',
          )
          .option(
            '-o, --output <file>',
            'write the outputs to a file (atomically) instead of stdout',
          )
          .option('--batch-size <n>', 'inputs decoded at once', positiveInteger, 32),
      ),
    ),
  ).action(async (model: string, file: string | undefined, flags) => {
    if (flags.queue) {
      const { queueDecodeCommand } = await import('../queue/queue-decode-command.js');
      result.status = await queueDecodeCommand(model, file, flags, io);
      return;
    }
    const parallel = await prepare(flags, io);
    const { decodeCommand } = await import('../decode/decode-command.js');
    await decodeCommand(model, file, { ...flags, parallel }, io);
  });
  queueVerbs(program, io, result, prepare);

  searchOptions(
    common(
      program
        .command('inspect')
        .summary('draw the attention alignment of an input, or the training curves')
        .argument('<model>', 'model folder, or the run folder "s2s train" wrote')
        .argument('[input]', 'one input to decode and draw the alignment of')
        .option('--curves', "draw the run's training curves from its log instead")
        .option(
          '-o, --output <path>',
          'where to write, without extension (default: <run>/attention or <run>/curves)',
        ),
    ),
    { nbest: false },
  ).action(async (model: string, input: string | undefined, flags) => {
    await prepare(flags, io);
    const { inspectCommand } = await import('../inspect/inspect-command.js');
    await inspectCommand(model, input, flags, io);
  });

  program
    .command('seal')
    .summary('record checksums of a model or checkpoint folder saved before s2s required them')
    .description(
      'Writes checksums.json (size and SHA-256 of every file) into a model or checkpoint folder that an older s2s saved without one. Loading requires it; seal only folders you trust.',
    )
    .argument('<folder>', 'a model folder (model.json) or checkpoint folder (trainer.json)')
    .action(async (folder: string) => {
      const { sealCommand } = await import('../model/seal-command.js');
      result.status = await sealCommand(folder, io);
    });

  common(
    program
      .command('list')
      .summary('list registered tasks and plugins')
      .argument(
        '[kind]',
        'only this kind: task, encoder, decoder, attention, bridge, output, search, tokenizer',
      ),
  ).action(async (kind: string | undefined, flags) => {
    const { loadPlugins } = await import('../setup/plugins.js');
    const { registry } = await import('@s2s/core');
    await loadPlugins(flags.plugin ?? [], io, flags.verbose ?? false);
    const plugins = registry
      .list()
      .filter((p) => kind === undefined || p.kind === (kind as PluginKind));
    for (const p of plugins.sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
    )) {
      writeLine(io.stdout, `${p.kind}\t${p.name}${p.summary ? `\t${p.summary}` : ''}`);
    }
  });
  return program;
}

/**
 * Loads plugins and selects the backend; the heavy modules load only now, not for `--help`.
 * Returns how many threads to use and what their workers import.
 */
export async function prepare(
  flags: CommonFlags & { readonly workers?: number },
  io: CliIO,
): Promise<{ workers: number; plugins: string[] }> {
  const { loadPlugins } = await import('../setup/plugins.js');
  const { selectBackend } = await import('../setup/backend.js');
  const plugins = await loadPlugins(flags.plugin ?? [], io, flags.verbose ?? false);
  await selectBackend(flags.backend, io);
  // Loaded after the backend: one more await before it would let two runs in one process
  // (a test starts two at once) initialise the backend at the same time.
  const { workerCount } = await import('../setup/workers.js');
  return { workers: workerCount(flags.workers), plugins };
}

/** `--workers`, for the verbs that train or decode. */
function workersOption(command: Command): Command {
  return command.option(
    '--workers <n>',
    "threads to spread training and decoding over, this one included (default: $S2S_WORKERS, else the machine's cores)",
    positiveInteger,
  );
}

/** Adds the options every verb takes. */
export function common(command: Command): Command {
  return command
    .addOption(
      new Option('--backend <name>', 'TensorFlow.js backend').choices(backendNames).default('auto'),
    )
    .option(
      '--plugin <package>',
      'import a plugin package (or module file) first; repeatable',
      collect,
    )
    .option('--verbose', 'show stack traces and what plugins registered');
}

/** The search flags; `inspect` draws only the best output, so it takes no `--nbest`. */
export function searchOptions(command: Command, { nbest = true } = {}): Command {
  command
    .option(
      '--search <name>',
      "search strategy by registered name: greedy, beam, sampling, exhaustive, exact, … (default: the task's)",
    )
    .option('--beam <k>', 'beam size k (beamSize)', positiveInteger)
    .option(
      '--alpha <a>',
      'length normalisation α: rank by log P / L^α (lengthPenalty)',
      finiteNumber,
    );
  if (nbest) {
    command.option(
      '--nbest <n>',
      'print the n best outputs per input, with scores (nBest, or samples when sampling)',
      positiveInteger,
    );
  }
  return command
    .option('--max-len <n>', 'longest output in tokens, <eos> included', positiveInteger)
    .option('--temperature <t>', 'sampling temperature τ', finiteNumber)
    .option('--top-k <k>', 'sample among the k most probable tokens', positiveInteger)
    .option('--top-p <p>', 'sample from the nucleus of probability mass p', finiteNumber)
    .option('--seed <n>', 'seed of a sampling search', integer)
    .option(
      '--search-option <key=value>',
      'any other option of the search strategy; repeatable',
      collect,
    );
}
