import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from './static-server.js';

let root: string;
let server: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's2s-static-'));
  await mkdir(join(root, 'site', 'wasm'), { recursive: true });
  await mkdir(join(root, 'model'));
  await writeFile(join(root, 'site', 'index.html'), '<p>page</p>');
  await writeFile(join(root, 'site', 'wasm', 'x.wasm'), new Uint8Array([0, 97, 115, 109]));
  await writeFile(join(root, 'model', 'model.json'), '{"format":"s2s-model"}');
  await writeFile(join(root, 'secret.txt'), 'outside every mounted folder');
  server = await serveStatic({ '/': join(root, 'site'), '/model/': join(root, 'model') });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** GET with the path sent exactly as written (no URL normalisation by the client). */
function get(path: string): Promise<{ status: number; type?: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          ...(res.headers['content-type'] ? { type: res.headers['content-type'] } : {}),
          body,
        }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serveStatic', () => {
  it('listens on the loopback interface only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves index.html for a folder and each file under the longest matching prefix', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: '<p>page</p>' });
    expect((await get('/')).type).toMatch(/^text\/html/);
    expect(await get('/model/model.json')).toMatchObject({
      status: 200,
      type: 'application/json',
      body: '{"format":"s2s-model"}',
    });
  });

  it('serves .wasm as application/wasm, which streaming compilation requires', async () => {
    expect(await get('/wasm/x.wasm')).toMatchObject({
      status: 200,
      type: 'application/wasm',
      body: '\0asm',
    });
  });

  it('answers 404 for a missing file and for every path that would leave its folder', async () => {
    expect((await get('/nothing.js')).status).toBe(404);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/model/..%2fsecret.txt',
      '/model/%2e%2e%2fsecret.txt',
      '/wasm/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('outside');
    }
  });
});
