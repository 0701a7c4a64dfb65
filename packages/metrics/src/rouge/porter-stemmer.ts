import { codePoints } from '../text/python-string.js';

/**
 * The Porter (1980) stemmer in NLTK's default `NLTK_EXTENSIONS` mode, which is what
 * Google's `rouge-score` calls with `use_stemmer=True`. NLTK departs from the published
 * algorithm in a handful of places (irregular forms, `-ies`/`-ied` on 4-letter words,
 * step 1c, `-alli`, `-fulli`, `-logi`, words of ≤ 2 letters); npm's Porter stemmers follow
 * the original and disagree with NLTK on words like "aaluavfulli" or "dying", so this is
 * a port of NLTK 3.x's rules. Expects a lower-case word; letters other than a, e, i, o, u
 * and y count as consonants.
 */
export function porterStem(word: string): string {
  // As NLTK: the irregular-form and length checks look at the word as given.
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  const w = word.toLowerCase();
  // Lengths count characters (code points), as Python's do, not UTF-16 units.
  if (codePoints(word).length <= 2) return w;
  const { text, restore } = standIns(w);
  return restore(step5b(step5a(step4(step3(step2(step1c(step1b(step1a(text)))))))));
}

/**
 * Replaces each character outside the BMP (two UTF-16 units) by one private-use character
 * absent from the word, so every length and index below counts characters as NLTK does.
 * Such a character is a consonant to the stemmer either way, as any non-vowel is.
 */
function standIns(word: string): { text: string; restore: (stem: string) => string } {
  if (!/[\uD800-\uDFFF]/u.test(word)) return { text: word, restore: (stem) => stem };
  const back = new Map<string, string>();
  const forth = new Map<string, string>();
  let next = 0xe000;
  let text = '';
  for (const char of word) {
    if (char.length === 1) {
      text += char;
      continue;
    }
    let stand = forth.get(char);
    if (stand === undefined) {
      while (word.includes(String.fromCharCode(next))) next++;
      stand = String.fromCharCode(next++);
      forth.set(char, stand);
      back.set(stand, char);
    }
    text += stand;
  }
  return { text, restore: (stem) => [...stem].map((c) => back.get(c) ?? c).join('') };
}

// NLTK's pool of irregular forms: form → stem.
const IRREGULAR = new Map<string, string>([
  ['sky', 'sky'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['innings', 'inning'],
  ['inning', 'inning'],
  ['outings', 'outing'],
  ['outing', 'outing'],
  ['cannings', 'canning'],
  ['canning', 'canning'],
  ['howe', 'howe'],
  ['proceed', 'proceed'],
  ['exceed', 'exceed'],
  ['succeed', 'succeed'],
]);

/** A suffix rule: [suffix, replacement, condition on the stem left after removing it]. */
type Rule = readonly [string, string, ((stem: string) => boolean) | null];

function isConsonant(word: string, i: number): boolean {
  const c = word[i]!;
  if ('aeiou'.includes(c)) return false;
  if (c === 'y') return i === 0 ? true : !isConsonant(word, i - 1);
  return true;
}

/** m in [C](VC)^m[V]: the number of vowel-to-consonant transitions. */
function measure(stem: string): number {
  let m = 0;
  for (let i = 1; i < stem.length; i++) {
    if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) m++;
  }
  return m;
}

const positiveMeasure = (stem: string) => measure(stem) > 0;
const measureAboveOne = (stem: string) => measure(stem) > 1;

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

/** *d: ends with a double consonant. */
function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y; NLTK adds 2-letter vc. */
function endsCvc(word: string): boolean {
  const n = word.length;
  return (
    (n >= 3 &&
      isConsonant(word, n - 3) &&
      !isConsonant(word, n - 2) &&
      isConsonant(word, n - 1) &&
      !'wxy'.includes(word[n - 1]!)) ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  );
}

/**
 * The first rule whose suffix the word ends with decides: its replacement if the condition
 * holds, else the word unchanged (later rules are not tried). `*d` means "ends with a
 * double consonant" and removes both letters before the replacement is added.
 */
function applyRules(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, word.length - suffix.length);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

function step1a(word: string): string {
  // NLTK: 'dies' → 'die' (not 'di'), while 'flies' → 'fli'.
  if (word.endsWith('ies') && word.length === 4) return `${word.slice(0, -3)}ie`;
  return applyRules(word, [
    ['sses', 'ss', null],
    ['ies', 'i', null],
    ['ss', 'ss', null],
    ['s', '', null],
  ]);
}

function step1b(word: string): string {
  // NLTK: 'died' → 'die', 'spied' → 'spi'.
  if (word.endsWith('ied')) return `${word.slice(0, -3)}${word.length === 4 ? 'ie' : 'i'}`;
  if (word.endsWith('eed')) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? `${stem}ee` : word;
  }
  let stem: string | undefined;
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix) && containsVowel(word.slice(0, -suffix.length))) {
      stem = word.slice(0, -suffix.length);
      break;
    }
  }
  if (stem === undefined) return word;
  const last = stem.at(-1)!;
  return applyRules(stem, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', last, () => !'lsz'.includes(last)],
    ['', 'e', (s) => measure(s) === 1 && endsCvc(s)],
  ]);
}

function step1c(word: string): string {
  // NLTK: y → i only after a consonant that is not the first letter ('happy' → 'happi',
  // 'enjoy' and 'by' unchanged, 'spy' → 'spi').
  return applyRules(word, [
    ['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)],
  ]);
}

function step2(word: string): string {
  // NLTK applies alli → al first and runs the result through step 2 again.
  if (word.endsWith('alli') && positiveMeasure(word.slice(0, -4))) {
    return step2(`${word.slice(0, -4)}al`);
  }
  return applyRules(word, [
    ['ational', 'ate', positiveMeasure],
    ['tional', 'tion', positiveMeasure],
    ['enci', 'ence', positiveMeasure],
    ['anci', 'ance', positiveMeasure],
    ['izer', 'ize', positiveMeasure],
    ['bli', 'ble', positiveMeasure],
    ['alli', 'al', positiveMeasure],
    ['entli', 'ent', positiveMeasure],
    ['eli', 'e', positiveMeasure],
    ['ousli', 'ous', positiveMeasure],
    ['ization', 'ize', positiveMeasure],
    ['ation', 'ate', positiveMeasure],
    ['ator', 'ate', positiveMeasure],
    ['alism', 'al', positiveMeasure],
    ['iveness', 'ive', positiveMeasure],
    ['fulness', 'ful', positiveMeasure],
    ['ousness', 'ous', positiveMeasure],
    ['aliti', 'al', positiveMeasure],
    ['iviti', 'ive', positiveMeasure],
    ['biliti', 'ble', positiveMeasure],
    ['fulli', 'ful', positiveMeasure],
    // The 'l' stays with the stem for the measure, so 'geologi' → 'geolog' like 'archaeologi'.
    ['logi', 'log', () => positiveMeasure(word.slice(0, -3))],
  ]);
}

function step3(word: string): string {
  return applyRules(word, [
    ['icate', 'ic', positiveMeasure],
    ['ative', '', positiveMeasure],
    ['alize', 'al', positiveMeasure],
    ['iciti', 'ic', positiveMeasure],
    ['ical', 'ic', positiveMeasure],
    ['ful', '', positiveMeasure],
    ['ness', '', positiveMeasure],
  ]);
}

function step4(word: string): string {
  return applyRules(word, [
    ['al', '', measureAboveOne],
    ['ance', '', measureAboveOne],
    ['ence', '', measureAboveOne],
    ['er', '', measureAboveOne],
    ['ic', '', measureAboveOne],
    ['able', '', measureAboveOne],
    ['ible', '', measureAboveOne],
    ['ant', '', measureAboveOne],
    ['ement', '', measureAboveOne],
    ['ment', '', measureAboveOne],
    ['ent', '', measureAboveOne],
    ['ion', '', (stem) => measure(stem) > 1 && 'st'.includes(stem.at(-1) ?? '-')],
    ['ou', '', measureAboveOne],
    ['ism', '', measureAboveOne],
    ['ate', '', measureAboveOne],
    ['iti', '', measureAboveOne],
    ['ous', '', measureAboveOne],
    ['ive', '', measureAboveOne],
    ['ize', '', measureAboveOne],
  ]);
}

function step5a(word: string): string {
  // Both conditions are tried (the paper's examples imply it), so no applyRules here.
  if (!word.endsWith('e')) return word;
  const stem = word.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

function step5b(word: string): string {
  return applyRules(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);
}
