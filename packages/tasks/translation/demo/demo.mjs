/**
 * The s2s demo (`npm run demo` at the repository root), offline: trains the translation
 * preset, scaled down, on the 4,000 English–French pairs shipped in this package with the
 * `s2s` command (progress bar, BLEU on held-out sentences after every epoch), then
 * translates a few sentences with beam search showing the three best with their scores,
 * and draws the attention of one of them as a heat map.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { processIO, run } from '@s2s/cli';
import { samplePath } from '@s2s/task-translation/node';

// npm runs this script in the package's folder; the run goes where the user typed
// `npm run demo`, so every path the demo prints works from there: the repository root
// when nx runs it for the root script (a nested npm resets INIT_CWD), else npm's INIT_CWD.
const here = process.env.NX_WORKSPACE_ROOT ?? process.env.INIT_CWD ?? process.cwd();
const out = 'runs/translation-demo';
const config = fileURLToPath(new URL('config.json', import.meta.url));
const sentences = [
  "I'm very tired.",
  'She is my friend.',
  "We're not ready yet.",
  'You are late again.',
  'He is a good teacher.',
];
const io = { ...processIO(), cwd: here };

console.log('s2s demo: English→French translation on the shipped Tatoeba sample\n');
rmSync(join(here, out), { recursive: true, force: true });
await s2s(['train', 'translation', '--data', samplePath, '--config', config, '--out', out]);

const epochs = readFileSync(join(here, out, 'train-log.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .filter((record) => record.type === 'epoch' && record.validation?.scores);
const best = epochs.reduce((a, b) => (b.validation.scores.bleu > a.validation.scores.bleu ? b : a));
const { bleu, chrf } = best.validation.scores;
console.log(
  `\nheld-out sentences (never trained on, scored against all their translations): BLEU ${bleu.toFixed(1)}, chrF2 ${chrf.toFixed(1)} (sacreBLEU 13a tokenisation; epoch ${best.epoch + 1}, the one kept)`,
);

console.log('\nbeam search (k = 5, α = 0.75), three best translations, score = log P / L^α:');
const decoded = await s2s(['decode', out, '--json', '--nbest', '3'], sentences.join('\n'));
for (const line of decoded.trim().split('\n')) {
  const { input, outputs } = JSON.parse(line);
  console.log(`\n  ${input}`);
  for (const o of outputs) console.log(`    ${o.score.toFixed(3).padStart(7)}  ${o.text}`);
}

console.log(`\nattention of "${sentences[0]}":`);
await s2s(['inspect', out, sentences[0], '-o', `${out}/attention`]);

/** Runs one `s2s` command in-process; returns its stdout (or passes it through). */
async function s2s(argv, stdin, show = argv[0] !== 'decode') {
  let stdout = '';
  const capture = new Writable({
    write(chunk, _encoding, done) {
      stdout += chunk;
      done();
    },
  });
  const status = await run(argv, {
    ...io,
    ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
    ...(show ? {} : { stdout: capture }),
  });
  if (status !== 0) process.exit(status);
  return stdout;
}
