// The browser build's host: serves the renderer and its configuration, refuses escapes, survives junk paths.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTerminal } from '../../../scripts/web-server.ts';

let root: string;
let server: Server;
let url: string;
const config = { switchUrl: 'http://127.0.0.1:8787', mode: 'drill', appVersion: 'test', shell: 'web' } as const;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outrider-web-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Outrider</title>');
  ({ server, url } = await serveTerminal({ root, config, port: 0 }));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('the web terminal host', () => {
  it('serves the page with a CSP that allows the switch and nothing else', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:8787");
  });

  it('hands the terminal its configuration', async () => {
    expect(await (await fetch(`${url}/config.json`)).json()).toEqual(config);
  });

  it.each(['/%', '/%E0%A4%A', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/package.json', '/index.html%00.js'])('answers %s with 404 and keeps serving', async (path) => {
    expect((await fetch(`${url}${path}`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });
});
