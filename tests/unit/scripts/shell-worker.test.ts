// The browser build's service worker answers for the app shell only: no switch response or API path is ever
// cached, same origin or not. The worker's real source runs here against a stand-in cache and network.
import { describe, expect, it, vi } from 'vitest';
import { shellWorkerSource } from '../../../scripts/vite-shell-worker.ts';

const PAGE = 'https://mdt.agency.example/outrider/';
const SHELL = ['./', './config.json', './assets/index-4f2a.js', './assets/index-9c1d.css'];

interface FakeRequest {
  url: string;
  method: string;
  mode: string;
}

/** Installs the worker built for SHELL and returns a way to send it requests, with what it cached. */
async function installWorker() {
  const handlers = new Map<string, (event: unknown) => void>();
  const cached = new Map<string, string>();
  const network = vi.fn(async (request: FakeRequest | string) => new Response(`body of ${typeof request === 'string' ? request : request.url}`));
  const cache = {
    addAll: async (paths: string[]) => paths.forEach((path) => cached.set(new URL(path, PAGE).href, `precached ${path}`)),
    match: async (key: string) => (cached.has(key) ? new Response(cached.get(key)) : undefined),
    put: async (key: string, response: Response) => void cached.set(key, await response.text()),
  };
  const caches = { open: async () => cache, keys: async () => [], delete: async () => true };
  const self = {
    location: new URL('sw.js', PAGE),
    addEventListener: (type: string, handler: (event: unknown) => void) => handlers.set(type, handler),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
  };
  new Function('self', 'caches', 'fetch', shellWorkerSource(SHELL))(self, caches, network);
  let installed: Promise<unknown> = Promise.resolve();
  handlers.get('install')!({ waitUntil: (work: Promise<unknown>) => (installed = work) });
  await installed;

  /** The worker's answer to a GET of `url`, or undefined when it leaves the request to the network. */
  const get = async (url: string, mode = 'cors'): Promise<string | undefined> => {
    let answer: Promise<Response> | undefined;
    handlers.get('fetch')!({ request: { url, method: 'GET', mode }, respondWith: (response: Promise<Response>) => (answer = response) });
    return answer ? (await answer).text() : undefined;
  };
  return { get, cached, network };
}

describe('the app-shell worker', () => {
  it('precaches exactly the files of the build', async () => {
    const { cached } = await installWorker();
    expect([...cached.keys()]).toEqual(SHELL.map((path) => new URL(path, PAGE).href));
  });

  it('answers the page, its assets and its configuration, from the cache when the network is gone', async () => {
    const { get, network } = await installWorker();
    expect(await get(`${PAGE}assets/index-4f2a.js`)).toBe('precached ./assets/index-4f2a.js');
    expect(await get(`${PAGE}config.json`)).toBe(`body of ${PAGE}config.json`);
    network.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await get(`${PAGE}config.json`)).toBe(`body of ${PAGE}config.json`);
    expect(await get(`${PAGE}?drill=1`, 'navigate')).toBe('precached ./');
  });

  it.each([
    ['an API path on its own origin', `${PAGE}v1/events?terminal=MDT-7`, 'cors'],
    ['an API path at the root of its origin', 'https://mdt.agency.example/v1/hotlist', 'cors'],
    ['the switch on another origin', 'https://switch.agency.example/v1/queries/42', 'cors'],
    ['a navigation to an API path', `${PAGE}v1/admin/audit`, 'navigate'],
    ['a file of its origin outside the build', `${PAGE}index.html`, 'cors'],
  ])('leaves %s to the network and caches nothing of it', async (_what, url, mode) => {
    const { get, cached } = await installWorker();
    const before = [...cached.keys()];
    expect(await get(url, mode)).toBeUndefined();
    expect([...cached.keys()]).toEqual(before);
  });
});
