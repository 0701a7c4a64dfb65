import { parseOptions, Rng } from '@s2s/core';
import { z } from 'zod';

/** One generated news-like article, in the shape of the BBC News Summary records. */
export interface GeneratedArticle {
  /** The headline, a blank line, then paragraphs separated by blank lines. */
  readonly text: string;
  /** Sentences copied from the article, in article order (extractive, like the BBC data). */
  readonly summary: string;
}

/** Options of {@link generateArticles}. */
export interface ArticleGeneratorOptions {
  readonly count: number;
  readonly seed: number;
  /** Paragraphs per article, at least 2. Default 4. */
  readonly paragraphs?: number;
}

/** The options of {@link generateArticles}. */
export const articleGeneratorOptions = z.strictObject({
  count: z.int().positive().describe('Articles to generate'),
  seed: z.int().describe('Seeds every choice, so the articles are reproducible'),
  paragraphs: z.int().min(2).default(4).describe('Paragraphs per article'),
});

/**
 * Generates article-like documents: a headline, paragraphs of news prose about an invented
 * person, organisation and place, with money, percentages and years, and an extractive
 * summary (the lead sentence plus every later sentence that names the person). Every name
 * is made up from syllables, so most are rare or unseen and only a copy mechanism can
 * reproduce them. Deterministic in the seed; for tests and the shipped sample, where real
 * articles (copyrighted) must not go.
 */
export function generateArticles(options: ArticleGeneratorOptions): GeneratedArticle[] {
  const { count, seed, paragraphs } = parseOptions(
    'generateArticles',
    articleGeneratorOptions,
    options,
  );
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => article(rng, paragraphs));
}

/** The articles as JSON Lines, `{"text": …, "summary": …}` per line. */
export function toJsonl(articles: readonly GeneratedArticle[]): string {
  return articles.map((a) => `${JSON.stringify({ text: a.text, summary: a.summary })}\n`).join('');
}

interface Cast {
  readonly person: string;
  readonly surname: string;
  readonly other: string;
  readonly org: string;
  readonly place: string;
  readonly role: string;
  readonly amount: string;
  readonly percent: string;
  readonly year: string;
  readonly count: string;
  readonly day: string;
  readonly thing: string;
}

type Sentence = (c: Cast) => string;

const lead: readonly Sentence[] = [
  (c) =>
    `${c.org} has agreed to spend ${c.amount} on ${c.thing} in ${c.place}, its ${c.role} ${c.person} said on ${c.day}.`,
  (c) =>
    `${c.person}, the ${c.role} of ${c.org}, has said the group will cut ${c.count} jobs in ${c.place} by ${c.year}.`,
  (c) =>
    `Profits at ${c.org} rose ${c.percent} to ${c.amount} last year, helped by strong demand for ${c.thing}.`,
];
const body: readonly Sentence[] = [
  (c) => `"We are confident that ${c.thing} will grow," ${c.surname} told reporters in ${c.place}.`,
  (c) =>
    `Analysts had expected a rise of about ${c.percent}, according to ${c.other}, who follows the sector.`,
  (c) =>
    `The plan was first announced in ${c.year} but was delayed after talks with unions broke down.`,
  (c) => `Shares in ${c.org} closed ${c.percent} higher on ${c.day}.`,
  (c) =>
    `${c.surname} said the company would also hire ${c.count} new staff over the next two years.`,
  (c) => `Critics, including ${c.other}, warned that the cost could reach ${c.amount}.`,
  (c) => `The region of ${c.place} has lost about ${c.count} jobs since ${c.year}.`,
  (c) => `${c.org} said it would publish full results for ${c.year} in the spring.`,
  (c) => `Mr ${c.surname} has led the firm since ${c.year}.`,
  (c) => `Demand for ${c.thing} has doubled in the past five years, the firm said.`,
];
const headlines: readonly Sentence[] = [
  (c) => `${c.org} to invest in ${c.place}`,
  (c) => `${c.org} boss ${c.surname} plans ${c.count} job cuts`,
  (c) => `${c.org} profits up ${c.percent}`,
];
const syllables = 'ka lo mi ren tu sa vo bel dra nik or al fen gu ti mar zo pe lu ha'.split(' ');
const roles = ['chief executive', 'chairman', 'finance director', 'founder'];
const things = ['electric cars', 'broadband', 'mobile phones', 'wind farms', 'steel', 'games'];
const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const suffixes = ['Group', 'Holdings', 'Telecom', 'Motors', 'Energy', 'Bank'];

function article(rng: Rng, paragraphs: number): GeneratedArticle {
  const c = cast(rng);
  const which = rng.int(lead.length);
  const sentences: string[][] = [[lead[which]!(c)]];
  const order = rng.shuffle([...body.keys()]);
  let next = 0;
  for (let p = 1; p < paragraphs; p++) {
    const n = 1 + rng.int(3);
    sentences.push(order.slice(next, next + n).map((i) => body[i]!(c)));
    next = (next + n) % body.length;
  }
  const summary = sentences
    .flat()
    .filter((s, i) => i === 0 || s.includes(c.surname))
    .join(' ');
  const text = [headlines[which]!(c), ...sentences.map((p) => p.join(' '))].join('\n\n');
  return { text, summary };
}

function cast(rng: Rng): Cast {
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
  const name = (parts: number) => {
    const word = Array.from({ length: parts }, () => pick(syllables)).join('');
    return word[0]!.toUpperCase() + word.slice(1);
  };
  const surname = name(2 + rng.int(2));
  return {
    person: `${name(2)} ${surname}`,
    surname,
    other: `${name(2)} ${name(3)}`,
    org: `${name(2)} ${pick(suffixes)}`,
    place: name(3),
    role: pick(roles),
    amount: `£${1 + rng.int(99)}${pick(['m', 'bn'])}`,
    percent: `${1 + rng.int(40)}%`,
    year: String(1990 + rng.int(15)),
    count: (100 * (1 + rng.int(50))).toLocaleString('en-GB'),
    day: pick(days),
    thing: pick(things),
  };
}
