import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskExample } from '@s2s/core';
import { DataError } from '@s2s/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArticles, toJsonl } from '../generate/article-generator.js';
import { readArticles } from './read-articles.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's2s-summarization-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function read(lines: string, target: 'summary' | 'headline'): Promise<TaskExample[]> {
  const file = join(dir, `${target}-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, lines);
  const out: TaskExample[] = [];
  for await (const e of readArticles(file, target)) out.push(e);
  return out;
}

describe('readArticles', () => {
  const articles = generateArticles({ count: 3, seed: 9 });

  it('reads bodies as inputs and summaries as references, with file:line origins', async () => {
    const examples = await read(`${toJsonl(articles)}\n`, 'summary');
    expect(examples).toHaveLength(3);
    examples.forEach((e, i) => {
      const [headline] = articles[i]!.text.split('\n');
      expect(e.input).toBe(articles[i]!.text.slice(headline!.length + 2));
      expect(e.references).toEqual([articles[i]!.summary]);
      expect(e.origin).toMatch(new RegExp(`\\.jsonl:${i + 1}$`));
    });
  });

  it('reads headlines as references for the headline target', async () => {
    const examples = await read(toJsonl(articles), 'headline');
    expect(examples.map((e) => e.references[0])).toEqual(
      articles.map((a) => a.text.split('\n')[0]),
    );
  });

  it('fails with a DataError naming the line: bad JSON, missing fields, no body or headline', async () => {
    const good = toJsonl(articles.slice(0, 1));
    const cases: [string, 'summary' | 'headline', RegExp][] = [
      [`${good}{"text": "x"`, 'summary', /:2: invalid JSON/],
      [`${good}["a"]\n`, 'summary', /:2: expected a JSON object/],
      [`${good}{"text": "Head\\n\\nBody."}\n`, 'summary', /:2: expected a string field "summary"/],
      [`${good}{"text": "Head\\n\\nBody.", "summary": " "}\n`, 'summary', /:2: empty "summary"/],
      [
        `${good}{"text": "Head\\n", "summary": "s"}\n`,
        'summary',
        /:2: "text" has a headline but no body/,
      ],
      [`{"text": "Only a body."}\n`, 'headline', /:1: "text" has no headline line/],
    ];
    for (const [lines, target, message] of cases) {
      const error = await read(lines, target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
