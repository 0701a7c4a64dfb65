#!/usr/bin/env node
// Renders spoken digits in many synthetic voices, named as FSDD clips
// ({digit}_{speaker}_{take}.wav, 8 kHz, 16-bit mono, leading and trailing silence
// trimmed), so `s2s train speech` can mix them with real speakers. Each voice setting
// (engine, voice, pitch, rate) is one speaker, `tts-…`; each take jitters pitch and rate
// and draws a level. Everything is drawn from --seed, so the same command renders the
// same set (on the same engine versions; voices.json lists every setting used).
//
// Needs the Debian TTS engines and sox:
//   sudo apt-get install espeak-ng flite festival sox
// Usage:
//   node scripts/synthetic-voices.mjs --out DIR [--seed 1] [--takes 4]
//        [--espeak 40] [--flite 15] [--festival 3]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const ESPEAK_BASES = ['en-us', 'en', 'en-us', 'en-gb-x-rp', 'en-029', 'en-gb-scotland'];
const ESPEAK_VARIANTS = [
  'm1',
  'm2',
  'm3',
  'm4',
  'm5',
  'm6',
  'm7',
  'f1',
  'f2',
  'f3',
  'f4',
  'f5',
  'Adam',
  'Alicia',
  'Andy',
  'Annie',
  'Benjamin',
  'Caleb',
  'David',
  'Ed',
  'Edward',
  'Gene',
  'Hugo',
  'Jacky',
  'John',
  'Lee',
  'Linda',
  'Max',
  'Michael',
  'Mike',
  'Paul',
  'Quincy',
  'Robert',
  'Steph',
  'Zac',
  'anika',
  'grandpa',
  'klatt',
  'klatt2',
  'klatt3',
  'female2',
  'female3',
  'Denis',
  'Storm',
  'Tweaky',
];
const FLITE_VOICES = ['kal', 'awb', 'rms', 'slt', 'kal16'];

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    takes: { type: 'string', default: '4' },
    espeak: { type: 'string', default: '40' },
    flite: { type: 'string', default: '15' },
    festival: { type: 'string', default: '3' },
  },
});
if (!values.out) {
  console.error(
    'usage: synthetic-voices.mjs --out DIR [--seed 1] [--takes 4] [--espeak 40] [--flite 15] [--festival 3]',
  );
  process.exit(2);
}
const out = values.out;
const takes = Number(values.takes);
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f.endsWith('.wav')) rmSync(join(out, f));

// mulberry32: a small seeded generator, so the set does not depend on Math.random.
let state = Number(values.seed) >>> 0 || 1;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const uniform = (lo, hi) => lo + random() * (hi - lo);
const pick = (list) => list[Math.floor(random() * list.length)];

const voices = [];
const variants = [...ESPEAK_VARIANTS];
for (let i = 0; i < Number(values.espeak); i++) {
  const variant = variants.length
    ? variants.splice(Math.floor(random() * variants.length), 1)[0]
    : pick(ESPEAK_VARIANTS);
  voices.push({
    speaker: `tts-espeak-${String(i).padStart(2, '0')}`,
    engine: 'espeak-ng',
    voice: `${pick(ESPEAK_BASES)}+${variant}`,
    pitch: Math.round(uniform(15, 85)),
    rate: Math.round(uniform(120, 200)),
  });
}
for (let i = 0; i < Number(values.flite); i++) {
  const voice = FLITE_VOICES[i % FLITE_VOICES.length];
  const female = voice === 'slt';
  voices.push({
    speaker: `tts-flite-${String(i).padStart(2, '0')}`,
    engine: 'flite',
    voice,
    pitch: Math.round(female ? uniform(150, 240) : uniform(80, 150)),
    rate: Number(uniform(0.85, 1.3).toFixed(2)),
  });
}
for (let i = 0; i < Number(values.festival); i++) {
  voices.push({
    speaker: `tts-festival-${String(i).padStart(2, '0')}`,
    engine: 'festival',
    voice: 'kal_diphone',
    pitch: Math.round(uniform(85, 140)),
    rate: Number(uniform(0.85, 1.3).toFixed(2)),
  });
}

const raw = join(out, '.raw.wav');
let clips = 0;
for (const v of voices) {
  for (let digit = 0; digit < 10; digit++) {
    for (let take = 0; take < takes; take++) {
      // Each take: pitch within ±8%, rate within ±8%, level −2 to −20 dBFS.
      const p = v.pitch * uniform(0.92, 1.08);
      const r = v.rate * uniform(0.92, 1.08);
      const level = uniform(-20, -2).toFixed(1);
      const word = DIGITS[digit];
      if (v.engine === 'espeak-ng') {
        const pitch = String(Math.max(0, Math.min(99, Math.round(p))));
        execFileSync('espeak-ng', [
          '-v',
          v.voice,
          '-p',
          pitch,
          '-s',
          String(Math.round(r)),
          '-w',
          raw,
          word,
        ]);
      } else if (v.engine === 'flite') {
        execFileSync('flite', [
          '-voice',
          v.voice,
          '--setf',
          `int_f0_target_mean=${p.toFixed(0)}`,
          '--setf',
          `duration_stretch=${(1 / r).toFixed(3)}`,
          '-t',
          word,
          '-o',
          raw,
        ]);
      } else {
        const scheme =
          `(voice_${v.voice}) (Parameter.set 'Duration_Stretch ${(1 / r).toFixed(3)}) ` +
          `(set! int_lr_params '((target_f0_mean ${p.toFixed(0)}) (target_f0_std 10) (model_f0_mean 105) (model_f0_std 14)))`;
        execFileSync('text2wave', ['-eval', scheme, '-o', raw], { input: word });
      }
      const file = join(out, `${digit}_${v.speaker}_${take}.wav`);
      execFileSync('sox', [
        raw,
        '-r',
        '8000',
        '-c',
        '1',
        '-b',
        '16',
        file,
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
        'norm',
        level,
      ]);
      clips++;
    }
  }
}
if (existsSync(raw)) rmSync(raw);
writeFileSync(
  join(out, 'voices.json'),
  `${JSON.stringify({ seed: Number(values.seed), takes, voices }, null, 1)}\n`,
);
console.log(`${clips} clips of ${voices.length} voices in ${out}`);
