import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../article/article.js';
import { splitParagraphs, splitSentences } from '../article/sentences.js';
import { generateArticles, toJsonl } from './article-generator.js';

describe('generateArticles', () => {
  const articles = generateArticles({ count: 30, seed: 4 });

  it('is a pure function of the seed', () => {
    expect(generateArticles({ count: 30, seed: 4 })).toEqual(articles);
    expect(generateArticles({ count: 30, seed: 5 })).not.toEqual(articles);
  });

  it('writes a headline line, a blank line, then blank-line separated paragraphs', () => {
    for (const { text } of articles) {
      const { headline, body } = parseArticle(text);
      expect(headline).not.toBe('');
      expect(text.startsWith(`${headline}\n\n`)).toBe(true);
      expect(splitParagraphs(body).length).toBe(4);
    }
  });

  it('summaries are extractive: article sentences, in article order, starting with the lead', () => {
    for (const { text, summary } of articles) {
      const sentences = splitSentences(parseArticle(text).body);
      const chosen = splitSentences(summary);
      expect(chosen[0]).toBe(sentences[0]);
      const positions = chosen.map((s) => sentences.indexOf(s));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('fills articles with names and numbers that vary between articles', () => {
    const numbers = articles.map((a) => a.text.match(/\d[\d,]*/g) ?? []);
    expect(numbers.every((n) => n.length >= 3)).toBe(true);
    const headlineNames = new Set(articles.map((a) => a.text.split(' ')[0]));
    expect(headlineNames.size).toBeGreaterThan(25);
  });

  it('the shipped sample is exactly what the generator writes for its seed', async () => {
    const shipped = await readFile(new URL('../../data/sample.jsonl', import.meta.url), 'utf8');
    expect(shipped).toBe(toJsonl(generateArticles({ count: 60, seed: 2005 })));
  });
});
