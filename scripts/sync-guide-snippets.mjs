// Rewrites each `<!-- snippet: path -->` block of docs/writing-a-plugin.md with the current
// contents of its file; examples/plugin-guide's guide.test.ts fails until this is run.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const guide = new URL('docs/writing-a-plugin.md', root);
const text = readFileSync(guide, 'utf8').replace(
  /(<!-- snippet: (\S+) -->\n```ts\n)[\s\S]*?^```$/gm,
  (_block, head, path) => `${head}${readFileSync(new URL(path, root), 'utf8')}\`\`\``,
);
writeFileSync(guide, text);
