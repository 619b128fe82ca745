// Serves the browser build of the terminal on loopback, with its configuration and security headers.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
// The browser build is served with the same path rules and content types as Electron's app:// handler.
import { resolveUnderRoot } from '../src-host/file-under-root.ts';
import { contentTypeFor } from '../src-host/content-type.ts';
import { contentSecurityPolicy } from '../src-shared/content-security-policy.ts';
import type { TerminalConfig } from '../src-shared/ipc.ts';

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
      return void response.writeHead(200, { ...headers, 'Content-Type': contentTypeFor('config.json') }).end(JSON.stringify(config));
    }
    const file = resolveUnderRoot(root, (request.url ?? '/').split('?')[0]!);
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) return void response.writeHead(404, headers).end('Not found');
    response.writeHead(200, { ...headers, 'Content-Type': contentTypeFor(file) });
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
