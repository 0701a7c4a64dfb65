import { DataError } from '../errors/data-error.js';
import type { Lines } from './lines.js';

/** A statement of a bAbI story. */
export interface BabiFact {
  /** The line id within the story (ids restart at 1 with each story). */
  readonly id: number;
  readonly text: string;
}

/** A bAbI question with its answer and the ids of the facts that support it. */
export interface BabiQuestion {
  readonly id: number;
  readonly text: string;
  /** The answer as written: a word, or a comma-separated list (`apple,football`, `n,w`). */
  readonly answer: string;
  /** Ids of the supporting facts, in the order given. */
  readonly supportingFacts: readonly number[];
}

/** One bAbI story: its facts and questions in file order. */
export interface BabiStory {
  readonly facts: readonly BabiFact[];
  readonly questions: readonly BabiQuestion[];
  /** The file line where the story starts (1-based). */
  readonly line: number;
}

/** A question with the facts told before it: one reading-comprehension example. */
export interface BabiExample {
  readonly context: readonly BabiFact[];
  readonly question: string;
  readonly answer: string;
  readonly supportingFacts: readonly number[];
}

const numbered = /^(\d+) (.*)$/su;

/**
 * Streams the stories of a bAbI task file (Weston et al. 2015, format v1.2). A line is
 * `ID text` for a fact and `ID question<TAB>answer<TAB>supporting ids` for a question; the
 * ids restart at 1 where a new story begins. Question text is trimmed, since some tasks
 * put a space before the tab and some do not. Ids out of sequence, a question without an
 * answer or before any fact, or a supporting id that is not an earlier fact of the story fail with a
 * {@link DataError} naming the file and line.
 */
export async function* parseBabiStories(lines: Lines, file = '<text>'): AsyncGenerator<BabiStory> {
  let story: { facts: BabiFact[]; questions: BabiQuestion[]; line: number } | undefined;
  let lastId = 0;
  for await (const { text, number } of lines) {
    if (text.trim() === '') continue;
    const fail = (problem: string) => new DataError({ file, line: number }, problem);
    const match = numbered.exec(text);
    if (!match) throw fail(`expected 'ID text' with a numeric id, found '${text.slice(0, 40)}'`);
    const id = Number(match[1]);
    if (id === 1) {
      if (story) yield story;
      story = { facts: [], questions: [], line: number };
    } else if (!story || id !== lastId + 1) {
      throw fail(`expected line id ${story ? lastId + 1 : 1} (or 1 to start a story), found ${id}`);
    }
    lastId = id;
    const body = match[2]!;
    if (!body.includes('\t')) {
      if (body.trim() === '') throw fail('empty fact');
      story.facts.push({ id, text: body.trim() });
      continue;
    }
    const [question = '', answer = '', support = '', ...extra] = body.split('\t');
    if (extra.length > 0)
      throw fail(`expected question, answer and supporting ids, found ${3 + extra.length} fields`);
    if (question.trim() === '') throw fail('empty question');
    if (story.facts.length === 0) {
      throw fail('a question before any fact of its story; expected facts to answer it from first');
    }
    if (answer.trim() === '') throw fail('question without an answer');
    const ids = support.trim() === '' ? [] : support.trim().split(/\s+/u);
    const supportingFacts = ids.map((raw) => {
      const fact = /^\d+$/u.test(raw) ? Number(raw) : Number.NaN;
      if (!story!.facts.some((f) => f.id === fact)) {
        throw fail(`supporting id '${raw}' is not a fact told earlier in this story`);
      }
      return fact;
    });
    story.questions.push({ id, text: question.trim(), answer: answer.trim(), supportingFacts });
  }
  if (story) yield story;
}

/** Turns a story into one example per question, each with the facts told before it. */
export function babiExamples(story: BabiStory): BabiExample[] {
  return story.questions.map((q) => ({
    context: story.facts.filter((fact) => fact.id < q.id),
    question: q.text,
    answer: q.answer,
    supportingFacts: q.supportingFacts,
  }));
}
