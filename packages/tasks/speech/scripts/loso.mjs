#!/usr/bin/env node
// Leave-one-speaker-out evaluation of the speech task with the s2s CLI. For each fold
// speaker S of an FSDD folder: trains on the other speakers (takes below --dev-from, plus
// every clip of --extra-voices), picks the best epoch on the other speakers' later takes
// (renamed to one speaker, `heldout`; S is never used for any choice), then scores S's
// clips one by one and the digit strings built from them with `s2s eval`.
//
//   npm run build && node packages/tasks/speech/scripts/loso.mjs \
//     --data ../shared/data/speech/fsdd --out /work/runs/loso [--extra-voices /work/runs/tts] \
//     [--config recipe.json] [--speakers theo,george] [--parallel 2] [--all | --table]
//
// --all trains the released model instead: every speaker's takes below --dev-from (and the
// extra voices) train, everyone's later takes pick the epoch; it lands in OUT/all/run.
//
// Writes OUT/<S>/{train,dev,test}/ (symlinks), OUT/<S>/run (the model), OUT/<S>/result.json
// and OUT/results.md (the table).
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    'extra-voices': { type: 'string' },
    config: { type: 'string' },
    speakers: { type: 'string' },
    all: { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    parallel: { type: 'string', default: '2' },
    'dev-from': { type: 'string', default: '45' },
  },
});
if (!values.data || !values.out) {
  console.error(
    'usage: loso.mjs --data FSDD --out DIR [--extra-voices DIR] [--config FILE] [--speakers a,b | --all | --table] [--parallel 2] [--dev-from 45]',
  );
  process.exit(2);
}
const cli = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run "npm run build" in the repository root first`);
  process.exit(2);
}
const clipName = /^([0-9])_([^_]+)_([0-9]+)\.wav$/i;
const parse = (dir) =>
  readdirSync(dir)
    .map((name) => ({ name, file: resolve(dir, name), m: clipName.exec(name) }))
    .filter((c) => c.m)
    .map((c) => ({ ...c, digit: c.m[1], speaker: c.m[2], take: Number(c.m[3]) }));
const real = parse(values.data);
const extra = values['extra-voices'] ? parse(values['extra-voices']) : [];
const all = [...new Set(real.map((c) => c.speaker))].sort();
// `--all`: the released model, trained on every speaker (no fold is held out).
const ALL = '(all)';
// `--table`: train nothing, only print the table of the folds already in OUT.
const folds = values.table
  ? []
  : values.all
    ? [ALL]
    : values.speakers
      ? values.speakers.split(',')
      : all;
const devFrom = Number(values['dev-from']);
const recipe = values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : {};
const out = resolve(values.out);

function link(dir, clips, rename) {
  mkdirSync(dir, { recursive: true });
  for (const c of clips) {
    const target = join(dir, rename ? rename(c) : c.name);
    if (!existsSync(target)) symlinkSync(c.file, target);
  }
}

function run(args, log) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      log.push(String(d));
    });
    child.on('close', (code) =>
      code === 0 ? done(stdout) : fail(new Error(`s2s ${args.join(' ')} exited ${code}`)),
    );
  });
}

async function fold(speaker) {
  const dir = join(out, speaker === ALL ? 'all' : speaker);
  const others = real.filter((c) => c.speaker !== speaker);
  const index = new Map(all.map((s, i) => [s, i]));
  link(join(dir, 'train'), [...others.filter((c) => c.take < devFrom), ...extra]);
  link(
    join(dir, 'dev'),
    others.filter((c) => c.take >= devFrom),
    (c) => `${c.digit}_heldout_${index.get(c.speaker) * 1000 + c.take}.wav`,
  );
  if (speaker !== ALL)
    link(
      join(dir, 'test'),
      real.filter((c) => c.speaker === speaker),
    );
  writeFileSync(join(dir, 'recipe.json'), JSON.stringify(recipe, null, 1));
  writeFileSync(join(dir, 'clips.json'), JSON.stringify({ data: { folder: 'clips' } }));
  // Each clip framed as training utterances are: the middle of their edge (0–150 ms) and
  // noise (25–45 dB) ranges, not tuned on any fold.
  writeFileSync(
    join(dir, 'clips-pad.json'),
    JSON.stringify({ data: { folder: 'clips', pad: { edgeMs: 75, snrDb: 35 } } }),
  );
  const log = [];
  const started = Date.now();
  if (!existsSync(join(dir, 'run', 'model'))) {
    try {
      await run(
        [
          'train',
          'speech',
          '--data',
          join(dir, 'train'),
          '--dev',
          join(dir, 'dev'),
          '--config',
          join(dir, 'recipe.json'),
          '--out',
          join(dir, 'run'),
        ],
        log,
      );
    } finally {
      writeFileSync(join(dir, 'train.log'), log.join(''));
    }
  }
  const timing = join(dir, 'minutes.json');
  if (!existsSync(timing)) writeFileSync(timing, JSON.stringify((Date.now() - started) / 60000));
  const minutes = JSON.parse(readFileSync(timing, 'utf8'));
  if (speaker === ALL) return undefined;
  // One `s2s eval` of the held-out speaker's folder; a config file reads it as single clips.
  const score = async (config) =>
    JSON.parse(
      await run(
        [
          'eval',
          join(dir, 'run'),
          '--data',
          join(dir, 'test'),
          ...(config ? ['--config', join(dir, config)] : []),
          '--json',
        ],
        log,
      ),
    );
  const strings = await score();
  const clips = await score('clips.json');
  const clipsPadded = await score('clips-pad.json');
  const result = { speaker, minutes, strings, clips, clipsPadded };
  writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 1)}\n`);
  console.log(
    `${speaker}: strings WER ${pct(strings.scores.wer)}, clips WER ${pct(clips.scores.wer)} (${pct(clipsPadded.scores.wer)} padded), ${minutes.toFixed(1)} min`,
  );
  return result;
}

const pct = (x) => `${x.toFixed(1)}%`; // scores are in % already (core's 0–100 convention)
const results = [];
const queue = [...folds];
await Promise.all(
  Array.from({ length: Number(values.parallel) }, async () => {
    while (queue.length) {
      const result = await fold(queue.shift());
      if (result) results.push(result);
    }
  }),
);
// The table covers every fold with a result in OUT, so folds run by separate invocations
// (or an earlier one) are reported together.
const done = readdirSync(out)
  .filter((d) => existsSync(join(out, d, 'result.json')))
  .sort()
  .map((d) => JSON.parse(readFileSync(join(out, d, 'result.json'), 'utf8')));
if (done.length === 0) process.exit(0);
const columns = [
  ['clips WER', (r) => r.clips.scores.wer],
  ['clips CER', (r) => r.clips.scores.cer],
  ['padded clips WER', (r) => r.clipsPadded?.scores.wer],
  ['padded clips CER', (r) => r.clipsPadded?.scores.cer],
  ['strings WER', (r) => r.strings.scores.wer],
  ['strings CER', (r) => r.strings.scores.cer],
];
const cell = (x) => (x === undefined || Number.isNaN(x) ? '–' : pct(x));
const summary = (name, f) =>
  `| ${name} | ${columns.map(([, g]) => cell(f(done.map(g)))).join(' | ')} | ${f(done.map((r) => r.minutes)).toFixed(1)} |`;
const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
const table = [
  `| held-out speaker | ${columns.map(([c]) => c).join(' | ')} | training minutes |`,
  `| --- | ${columns.map(() => '---').join(' | ')} | --- |`,
  ...done.map(
    (r) =>
      `| ${r.speaker} | ${columns.map(([, g]) => cell(g(r))).join(' | ')} | ${r.minutes.toFixed(1)} |`,
  ),
  summary('mean', mean),
  summary('worst', (xs) => Math.max(...xs)),
].join('\n');
writeFileSync(join(out, 'results.md'), `${table}\n`);
console.log(table);
console.log(`(${basename(out)}: ${done.length} folds)`);
