import { z } from 'zod';
import { CheckpointError, ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import {
  CHECKSUMS_FILE,
  type ChecksumEntry,
  confinedKey,
  MAX_CHECKSUMS_BYTES,
  parseChecksums,
  sha256Hex,
} from './checksums.js';
import { MODEL_FILE, type ModelIOHandler } from './model-format.js';
import { WEIGHTS_MANIFEST, weightGroup } from './weight-manifest.js';

/** The part of `fetch` the URL reader uses (the global `fetch` of Node 20 and browsers). */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** A `fetch`-like function, passed through as it is. */
export const fetchOption = z
  .custom<FetchLike>((v) => typeof v === 'function', 'expected a fetch function')
  .optional()
  .describe('The fetch a URL is read with. Default: the global fetch');

/** {@link ModelURLOptions} as a zod schema. */
export const modelURLOptions = z.strictObject({
  fetch: fetchOption,
  requestInit: z
    .custom<RequestInit>((v) => typeof v === 'object' && v !== null, 'expected a RequestInit')
    .optional()
    .describe('Passed to every request (credentials, headers, an abort signal)'),
});

/** Options of {@link modelFromURL}. */
export interface ModelURLOptions {
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Passed to every request (credentials, headers, an abort signal). */
  readonly requestInit?: RequestInit;
}

/**
 * A `tf.io` IO handler that reads a model folder published at `url` (the folder, or its
 * `model.json`): it fetches `checksums.json` first, then `model.json`, `weights.json` and
 * the weight shard, and refuses any file whose size or SHA-256 differs from the recorded
 * one, any file the checksums do not list and any path leading out of the folder — the
 * policy of the Node folder reader, over HTTP. Works wherever `fetch` and WebCrypto do.
 */
export function modelFromURL(url: string | URL, options: ModelURLOptions = {}): ModelIOHandler {
  const o = parseOptions('modelFromURL', modelURLOptions, options);
  const base = folderURL(url);
  const locate = (file: string) => new URL(file, base).href;
  // Called as a plain function: a browser's fetch refuses to run with another `this`.
  const fetchFile: FetchLike = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    locate,
    async load() {
      const files = await RemoteFolder.open(base, fetchFile, o.requestInit);
      const [topology, manifest] = await Promise.all([
        files.json(MODEL_FILE),
        files.json(WEIGHTS_MANIFEST),
      ]);
      const manifestURL = locate(WEIGHTS_MANIFEST);
      const { shard, specs } = weightGroup(manifest, manifestURL);
      const bytes = await files.read(confinedKey(shard, base.href, manifestURL));
      return {
        modelTopology: topology as object,
        weightSpecs: specs,
        weightData: bytes.buffer.slice(
          bytes.byteOffset,
          bytes.byteOffset + bytes.byteLength,
        ) as ArrayBuffer,
      };
    },
  };
}

/** A folder read over HTTP, every file checked against its `checksums.json`. */
class RemoteFolder {
  private constructor(
    private readonly base: URL,
    private readonly fetchFile: FetchLike,
    private readonly init: RequestInit | undefined,
    private readonly files: Record<string, ChecksumEntry>,
  ) {}

  static async open(base: URL, fetchFile: FetchLike, init?: RequestInit): Promise<RemoteFolder> {
    const where = new URL(CHECKSUMS_FILE, base).href;
    const bytes = await fetchBytes(fetchFile, where, init, { max: MAX_CHECKSUMS_BYTES });
    const files = parseChecksums(new TextDecoder().decode(bytes), where, (rel) =>
      confinedKey(rel, base.href, where),
    );
    return new RemoteFolder(base, fetchFile, init, files);
  }

  /** A file by its path inside the folder, its size and SHA-256 checked. */
  async read(key: string): Promise<Uint8Array> {
    const url = new URL(key, this.base).href;
    const entry = this.files[key];
    if (!entry) {
      throw new CheckpointError(
        url,
        `is not listed in ${CHECKSUMS_FILE}: only files covered by checksums are read`,
      );
    }
    const bytes = await fetchBytes(this.fetchFile, url, this.init, { exact: entry.bytes });
    if ((await sha256Hex(bytes)) !== entry.sha256) {
      throw new CheckpointError(
        url,
        `does not match the checksum recorded in ${CHECKSUMS_FILE}: the file is corrupted or was edited`,
      );
    }
    return bytes;
  }

  async json(key: string): Promise<unknown> {
    const text = new TextDecoder().decode(await this.read(key));
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CheckpointError(
        new URL(key, this.base).href,
        `is not valid JSON (${(error as Error).message})`,
      );
    }
  }
}

/**
 * Fetches `url`, reading at most `exact` (or `max`) bytes: a body that runs past the limit
 * is cancelled, so a lying server cannot make the page download without end.
 */
async function fetchBytes(
  fetchFile: FetchLike,
  url: string,
  init: RequestInit | undefined,
  limit: { exact?: number; max?: number },
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFile(url, init);
  } catch (error) {
    throw new CheckpointError(url, `cannot be fetched (${(error as Error).message})`);
  }
  if (!response.ok) {
    throw new CheckpointError(
      url,
      response.status === 404
        ? 'file is missing (HTTP 404)'
        : `cannot be fetched (HTTP ${response.status})`,
    );
  }
  const cap = limit.exact ?? limit.max ?? Number.POSITIVE_INFINITY;
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel();
        throw new CheckpointError(url, tooLarge(limit, total));
      }
      chunks.push(value);
    }
  }
  if (limit.exact !== undefined && total !== limit.exact) {
    throw new CheckpointError(
      url,
      `has ${total} bytes, ${limit.exact} expected: the file is truncated or was replaced`,
    );
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(limit: { exact?: number; max?: number }, read: number): string {
  return limit.exact !== undefined
    ? `has more than ${limit.exact} bytes (${read} read), ${limit.exact} expected: the file was replaced`
    : `has more than ${limit.max} bytes, at most ${limit.max} allowed`;
}

/** The folder URL of a model: `url` itself, or the folder of the `model.json` it names. */
function folderURL(url: string | URL): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let resolved: URL;
  try {
    resolved = new URL(url, page);
  } catch {
    throw new ConfigError(
      `loadModel: expected the URL of a model folder (https://…/model/, or a path relative to the page), found ${JSON.stringify(String(url))}; to read a folder in Node, import loadModel from '@s2s/core/node'`,
    );
  }
  if (resolved.pathname.endsWith(`/${MODEL_FILE}`)) return new URL('.', resolved);
  if (!resolved.pathname.endsWith('/')) resolved.pathname = `${resolved.pathname}/`;
  return resolved;
}
