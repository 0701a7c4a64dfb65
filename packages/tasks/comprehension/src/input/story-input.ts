import { S2SError } from '@s2s/core';

/**
 * One reading-comprehension input as `s2s decode` takes it on one line, in JSON:
 * `{"story": ["Mary moved to the bathroom.", "John went to the hallway."], "question":
 * "Where is Mary?"}`. Training examples also carry `support`, the 0-based indices into
 * `story` of the supporting sentences, in the order the reasoning uses them.
 */
export interface StoryInput {
  readonly story: readonly string[];
  readonly question: string;
  readonly support?: readonly number[];
}

/** The line form of a {@link StoryInput}. */
export function formatStoryInput(input: StoryInput): string {
  return JSON.stringify({
    story: input.story,
    question: input.question,
    ...(input.support && input.support.length > 0 ? { support: input.support } : {}),
  });
}

/**
 * Parses an input line. Anything but an object with a non-empty `story` array of
 * non-empty strings and a non-empty `question` string (and, optionally, `support` indices
 * into `story`) is an {@link S2SError} saying what was expected.
 */
export function parseStoryInput(line: string): StoryInput {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new S2SError(
      `expected a JSON object {"story": ["…", …], "question": "…"}, got ${preview(line)}`,
    );
  }
  const record = value as Partial<Record<'story' | 'question' | 'support', unknown>>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new S2SError(`expected a JSON object with "story" and "question", got ${preview(line)}`);
  }
  const story = record.story;
  if (!Array.isArray(story) || story.length === 0) {
    throw new S2SError('the input needs "story": a non-empty array of sentences');
  }
  story.forEach((sentence, i) => {
    if (typeof sentence !== 'string' || sentence.trim() === '') {
      throw new S2SError(
        `story sentence ${i} must be a non-empty string, got ${JSON.stringify(sentence)}`,
      );
    }
  });
  if (typeof record.question !== 'string' || record.question.trim() === '') {
    throw new S2SError('the input needs "question": a non-empty string');
  }
  const support = record.support ?? [];
  if (
    !Array.isArray(support) ||
    support.some((i) => !Number.isInteger(i) || i < 0 || i >= story.length)
  ) {
    throw new S2SError(
      `"support" must list indices of story sentences (0 to ${story.length - 1}), got ${JSON.stringify(record.support)}`,
    );
  }
  return { story: story as string[], question: record.question, support: support as number[] };
}

function preview(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}
