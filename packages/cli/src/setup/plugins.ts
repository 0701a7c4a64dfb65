import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import { type PluginKind, registry } from '@s2s/core';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';

/**
 * The task packages the CLI ships with. Each registers its task on import; one that is
 * missing (trimmed from an install) is skipped, one that fails to load is reported.
 */
export const taskPackages = [
  '@s2s/task-translation',
  '@s2s/task-summarization',
  '@s2s/task-comprehension',
  '@s2s/task-speech',
] as const;

/**
 * The Node entries of task packages that set up file access on import (the speech task's
 * pipeline reads WAV paths when it encodes), loaded after their package.
 */
const taskNodeEntries: Readonly<Record<string, string>> = {
  '@s2s/task-speech': '@s2s/task-speech/node',
};

/** The plugin packages the CLI itself imports (above), which worker threads import too. */
const builtInPlugins = ['@s2s/attention', '@s2s/decoders', '@s2s/encoders', '@s2s/search'];

/**
 * Loads the bundled task packages, then each `--plugin` in order: an npm package name
 * (resolved from `io.cwd` first, then from beside the CLI) or a path to a module file.
 * Returns every module loaded, as worker threads import them (see `--workers`).
 */
export async function loadPlugins(
  plugins: readonly string[],
  io: CliIO,
  verbose: boolean,
): Promise<string[]> {
  const loaded = [...builtInPlugins];
  for (const name of taskPackages) {
    try {
      await import(name);
      loaded.push(name);
      const nodeEntry = taskNodeEntries[name];
      if (nodeEntry) {
        await import(nodeEntry);
        loaded.push(nodeEntry);
      }
    } catch (error) {
      if (isMissing(error, name)) continue;
      io.stderr.write(`s2s: warning: task package ${name} failed to load: ${firstLine(error)}\n`);
    }
  }
  for (const spec of plugins) {
    const before = new Set(registry.list().map((p) => `${p.kind} ${p.name}`));
    try {
      const located = locatePlugin(spec, io.cwd);
      await import(located);
      loaded.push(located);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`plugin '${spec}' failed to load: ${firstLine(error)}`);
    }
    if (verbose) {
      const added = registry
        .list()
        .map((p) => `${p.kind} ${p.name}`)
        .filter((p) => !before.has(p));
      io.stderr.write(
        `s2s: plugin ${spec} registered ${added.length ? added.join(', ') : 'nothing new'}\n`,
      );
    }
  }
  return loaded;
}

/** Registered names of a kind, for messages. */
export function registeredNames(kind: PluginKind): string {
  const names = registry.names(kind);
  return names.length ? names.join(', ') : '(none)';
}

/** The URL or specifier to import for a `--plugin` value. */
function locatePlugin(spec: string, cwd: string): string {
  if (isPath(spec)) {
    const path = resolve(cwd, spec);
    if (!existsSync(path)) throw new CliError(`plugin '${spec}': no such file (${path})`);
    return pathToFileURL(path).href;
  }
  // A plugin installed in the user's project is not visible from a globally installed CLI,
  // so look from the working folder first.
  const fromCwd = resolveFrom(spec, cwd);
  if (fromCwd) return pathToFileURL(fromCwd).href;
  if (canImportFromHere(spec)) return spec;
  throw new CliError(
    `plugin '${spec}' is not installed in ${cwd} or beside s2s; install it with 'npm install ${spec}'`,
  );
}

function isPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(j|t)s$/.test(spec);
}

/** Resolves a package specifier as Node's ESM loader would from `cwd`, or undefined. */
function resolveFrom(spec: string, cwd: string): string | undefined {
  const require = createRequire(join(cwd, 'noop.js'));
  try {
    return require.resolve(spec);
  } catch (error) {
    // An ESM-only package exports no `require` entry: read its `exports` map ourselves.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    return resolveImportEntry(spec, cwd);
  }
}

function resolveImportEntry(spec: string, cwd: string): string | undefined {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  for (let dir = cwd; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
      const entry = pickCondition((exports as Record<string, unknown> | undefined)?.[subpath]);
      return entry ? join(dirname(manifest), entry) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object') return undefined;
  for (const condition of ['node', 'import', 'default']) {
    const found = pickCondition((entry as Record<string, unknown>)[condition]);
    if (found) return found;
  }
  return undefined;
}

function canImportFromHere(spec: string): boolean {
  try {
    import.meta.resolve(spec);
    return true;
  } catch {
    return false;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(name);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
