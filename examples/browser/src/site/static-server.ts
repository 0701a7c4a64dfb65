import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

/** URL prefixes (`/`, `/model/`) and the folders served under them. */
export type Mounts = Readonly<Record<string, string>>;

/** A running server: its address, and how to stop it. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves folders read-only over HTTP on the loopback interface, for the demo page and its
 * test. The longest matching prefix wins; a path that would leave its folder, a folder, or a
 * missing file is a 404. `.wasm` goes out as `application/wasm`, which the browser needs to
 * compile it while it downloads. `port` 0 takes a free one.
 */
export async function serveStatic(mounts: Mounts, port = 0): Promise<StaticServer> {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => ({ prefix: withSlash(prefix), dir: resolve(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer((request, response) => {
    respond(table, request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${error.message}\n`);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

async function respond(
  table: readonly { prefix: string; dir: string }[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const file = locate(table, new URL(request.url ?? '/', 'http://localhost').pathname);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

/** The file a URL path names, or undefined when it names none inside a mounted folder. */
function locate(table: readonly { prefix: string; dir: string }[], pathname: string) {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const mount = table.find((m) => path === m.prefix.slice(0, -1) || path.startsWith(m.prefix));
  if (!mount) return undefined;
  const rest = path.slice(mount.prefix.length) || 'index.html';
  const file = resolve(join(mount.dir, rest.endsWith('/') ? `${rest}index.html` : rest));
  return file.startsWith(mount.dir + sep) ? file : undefined;
}

function withSlash(prefix: string): string {
  const start = prefix.startsWith('/') ? prefix : `/${prefix}`;
  return start.endsWith('/') ? start : `${start}/`;
}
