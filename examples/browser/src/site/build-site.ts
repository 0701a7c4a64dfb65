import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** What {@link buildSite} wrote, with the sizes the README reports. */
export interface BuiltSite {
  /** The folder to serve: `index.html`, `app.js`, `style.css`, `wasm/*.wasm`. */
  readonly dir: string;
  /** `app.js`: bytes, and bytes after gzip -9 (what a server compressing it sends). */
  readonly bundle: { readonly bytes: number; readonly gzipBytes: number };
  /** The `.wasm` binaries copied beside it, with their sizes. */
  readonly wasm: readonly { readonly name: string; readonly bytes: number }[];
}

/** The example's own folder (where `src/page` lives), from `src` or from `dist`. */
export const exampleRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles the page with esbuild for the browser — `--platform=browser`, no shims for Node
 * built-ins, minified, ES2022 — into `out` (emptied first), with its HTML and CSS and the
 * wasm backend's `.wasm` files under `wasm/`. Workspace packages are bundled from their
 * TypeScript sources (the `source` export condition), so no build of them is needed first.
 */
export async function buildSite(out: string): Promise<BuiltSite> {
  const page = join(exampleRoot, 'src', 'page');
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'wasm'), { recursive: true });
  const bundle = join(out, 'app.js');
  await build({
    entryPoints: [join(page, 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    conditions: ['source'],
    logLevel: 'warning',
    legalComments: 'linked',
  });
  for (const file of ['index.html', 'style.css']) await copyFile(join(page, file), join(out, file));
  const wasmDir = wasmFolder();
  const wasm = [];
  for (const name of (await readdir(wasmDir)).filter((f) => f.endsWith('.wasm')).sort()) {
    await copyFile(join(wasmDir, name), join(out, 'wasm', name));
    wasm.push({ name, bytes: (await readFile(join(wasmDir, name))).length });
  }
  const code = await readFile(bundle);
  return {
    dir: out,
    bundle: { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length },
    wasm,
  };
}

/** Where `@tensorflow/tfjs-backend-wasm` keeps its `.wasm` binaries. */
export function wasmFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}
