// Serves the browser build of the terminal on loopback, with its configuration and security headers.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { TerminalConfig } from '../src-shared/ipc.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function contentSecurityPolicy(switchUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte sets style attributes at run time; no inline scripts are allowed.
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ${new URL(switchUrl).origin}`,
    "img-src 'self' data:",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Resolves a URL path inside root, or undefined when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  const decoded = decodeURIComponent(urlPath.split('?')[0]!);
  const file = normalize(join(root, decoded === '/' ? 'index.html' : decoded));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

export interface WebServerOptions {
  root: string;
  config: TerminalConfig;
  port: number;
  host?: string;
}

export async function serveTerminal({ root, config, port, host = '127.0.0.1' }: WebServerOptions): Promise<{ server: Server; url: string }> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(config.switchUrl),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, headers).end();
    if (request.url?.split('?')[0] === '/config.json') {
      return void response.writeHead(200, { ...headers, 'Content-Type': TYPES['.json'] }).end(JSON.stringify(config));
    }
    const file = resolveInside(root, request.url ?? '/');
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) return void response.writeHead(404, headers).end('Not found');
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  server.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host}:${actualPort}` };
}
