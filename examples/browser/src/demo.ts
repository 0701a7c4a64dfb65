/**
 * `npm run demo:browser`: bundles the page, makes sure the translation demo's model exists
 * (training it with `npm run demo` the first time, two to three minutes), and serves the
 * page, the model and the `.wasm` files on a loopback port until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSite, exampleRoot } from './site/build-site.js';
import { serveStatic } from './site/static-server.js';

const repository = join(exampleRoot, '..', '..');
/** Where `npm run demo` leaves its model (packages/tasks/translation/demo/demo.mjs). */
const demoModel = join(repository, 'runs', 'translation-demo', 'model');
const port = Number(process.env.PORT ?? 0);
// Paths are printed from where the user typed the command (nx runs this in the example's folder).
const here = process.env.NX_WORKSPACE_ROOT ?? process.env.INIT_CWD ?? process.cwd();
const shown = (path: string) => relative(here, path) || '.';

if (!existsSync(join(demoModel, 'model.json'))) {
  console.log(`No trained demo model in ${shown(demoModel)} yet.`);
  console.log('Training it first with `npm run demo` (two to three minutes on two cores)…\n');
  const demo = spawnSync('npm', ['run', 'demo'], { cwd: repository, stdio: 'inherit' });
  if (demo.status !== 0 || !existsSync(join(demoModel, 'model.json'))) {
    console.error('\n`npm run demo` did not leave a model; see its output above.');
    process.exit(demo.status || 1);
  }
}

const site = await buildSite(join(exampleRoot, 'dist', 'site'));
const bytes = (n: number) => `${n.toLocaleString('en')} bytes`;
const wasmFiles = site.wasm.map((w) => `${w.name} ${bytes(w.bytes)}`).join(', ');
console.log(
  `\nbundled the page with esbuild: app.js ${bytes(site.bundle.bytes)} (${bytes(site.bundle.gzipBytes)} gzipped); the wasm backend's binaries: ${wasmFiles}`,
);
const server = await serveStatic({ '/': site.dir, '/model/': demoModel }, port);
console.log(`serving the model in ${shown(demoModel)}\n`);
console.log(`  open ${server.url} in a browser and type an English sentence\n`);
console.log('(Ctrl-C to stop)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0));
  });
}
