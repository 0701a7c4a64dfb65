/**
 * Cuts data/sample.tsv from the full eng-fra corpus, deterministically: the first 4,000
 * pairs in file order (the corpus is already shuffled with a fixed seed) whose English
 * starts with a personal pronoun and "to be" (I am, he's, they are, …) and whose sides
 * have at most 8 words each. Short, regular sentences let the demo learn something
 * visible in a few minutes on two cores.
 *
 *   node scripts/make-sample.mjs /work/shared/data/translation/eng-fra.tsv > data/sample.tsv
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node scripts/make-sample.mjs PATH/eng-fra.tsv');
const size = 4000;
const maxWords = 8;
const prefix = /^(i am|i'm|he is|he's|she is|she's|you are|you're|we are|we're|they are|they're) /i;
const words = (text) => text.split(' ').length;

let kept = 0;
for await (const line of createInterface({ input: createReadStream(file) })) {
  const [english, french] = line.split('\t');
  if (!english || !french || !prefix.test(english)) continue;
  if (words(english) > maxWords || words(french) > maxWords) continue;
  process.stdout.write(`${english}\t${french}\n`);
  if (++kept === size) break;
}
