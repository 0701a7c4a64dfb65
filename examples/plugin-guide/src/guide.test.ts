import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const guide = readFileSync(new URL('docs/writing-a-plugin.md', root), 'utf8');

/** Each `<!-- snippet: path -->` marker of the guide and the fenced block right after it. */
function snippets(markdown: string): { path: string; code: string }[] {
  const found = markdown.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)^```$/gm);
  return [...found].map((m) => ({ path: m[1]!, code: m[2]! }));
}

describe('docs/writing-a-plugin.md', () => {
  const blocks = snippets(guide);

  it.each(blocks.map((b) => [b.path, b.code]))('shows %s exactly as it is', (path, code) => {
    const file = readFileSync(new URL(path, root), 'utf8');
    expect(code, 'run `node scripts/sync-guide-snippets.mjs` after changing the file').toBe(file);
  });

  it('shows every plugin file of the example package', () => {
    const shown = new Set(blocks.map((b) => b.path));
    const sources = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const file of sources) expect(shown).toContain(`examples/plugin-guide/src/${file}`);
  });

  it('leaves no fenced block unclosed', () => {
    expect(guide.split('\n').filter((line) => line.startsWith('```')).length % 2).toBe(0);
  });
});
