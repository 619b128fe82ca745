// The app:// scheme: registered as privileged before ready, then serving the renderer build with a strict CSP.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME } from '../security/trusted-origin.ts';
import { resolveAppFile } from './app-path.ts';
import { contentTypeFor } from '../../src-host/content-type.ts';

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        // standard + secure give app://outrider a real origin and a secure context (IndexedDB, WebCrypto, Web Locks).
        standard: true,
        secure: true,
        supportFetchAPI: true,
        // Vite emits <script type="module" crossorigin>, which is fetched in CORS mode.
        corsEnabled: true,
        codeCache: true,
      },
    },
  ]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Serves files under `rendererDir` (which may be inside app.asar) for app://outrider/... only. */
export function serveRenderer(rendererDir: string, contentSecurityPolicy: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return notFound();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(file),
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        // The renderer build changes with each release; a stale cached shell would mix versions.
        'Cache-Control': 'no-cache',
      },
    });
  });
}
