import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The main entries a web page imports to load and run a task model (translation,
 * summarization, reading comprehension, speech). Each must be bundlable for the browser as
 * published: no Node built-in may be reached from them, so a bundler needs no shims. File
 * access lives in the `./node` entries, which this leaves out. (The other tasks resolve
 * through the workspace's links.)
 */
const browserEntries = [
  '@s2s/core',
  '@s2s/encoders',
  '@s2s/attention',
  '@s2s/decoders',
  '@s2s/search',
  '@s2s/data',
  '@s2s/task-translation',
  '@s2s/task-summarization',
  '@s2s/task-comprehension',
  '@s2s/task-speech',
];
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Bundles `code` for the browser; returns esbuild's errors and every Node built-in our code reached. */
async function bundleForBrowser(code: string) {
  const reached: string[] = [];
  const guard: Plugin = {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        const builtin = path.startsWith('node:') || builtins.has(path.split('/')[0]!);
        // Third-party packages map their Node-only imports away in their `browser` field,
        // which esbuild applies; ours must not have any to map.
        if (!builtin || importer.includes('/node_modules/')) return undefined;
        reached.push(`${importer.replace(/^.*\/packages\//, 'packages/')} imports ${path}`);
        return { path, external: true };
      });
    },
  };
  const result = await build({
    stdin: { contents: code, resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // Sibling packages are read from source, as in the tests; published, `default` (dist).
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
    plugins: [guard],
  }).catch((error: { errors?: { text: string; location?: { file: string } | null }[] }) => ({
    errors: error.errors ?? [{ text: String(error), location: null }],
    outputFiles: [],
  }));
  return {
    errors: result.errors.map((e) => `${e.location?.file ?? '?'}: ${e.text}`),
    reached,
    bytes: result.outputFiles?.[0]?.contents.byteLength ?? 0,
  };
}

describe('browser bundle of the main entries (esbuild, platform browser)', () => {
  it('reaches no Node built-in from core, encoders, attention, decoders, search, data or any of the four tasks', async () => {
    const code = browserEntries.map((name, i) => `export * as m${i} from '${name}';`).join('\n');
    const { errors, reached, bytes } = await bundleForBrowser(code);
    expect(reached).toEqual([]);
    expect(errors).toEqual([]);
    expect(bytes).toBeGreaterThan(0);
  });

  it('the guard catches a Node built-in when one is reached (checked on the Node entries)', async () => {
    const { reached } = await bundleForBrowser(
      "export * from '@s2s/core/node'; export * from '@s2s/data/node'; export * from '@s2s/task-speech/node';",
    );
    expect(reached).toEqual(
      expect.arrayContaining([
        'packages/core/src/node/sealed-folder.ts imports node:fs/promises',
        'packages/data/src/node/read-lines.ts imports node:fs',
        'packages/tasks/speech/src/node/index.ts imports node:fs',
      ]),
    );
  });
});
