// App-shell worker for the browser build: a terminal must open in a dead zone. It answers for the files of
// this build and nothing else: no response from the switch or any API path is ever cached, whatever its
// origin, since those carry CJI and must be live.
const CACHE = 'outrider-shell-__VERSION__';
const SHELL = __SHELL__;
/** The shell as absolute URLs under this worker's scope: the only requests it answers. */
const SHELL_URLS = new Set(SHELL.map((path) => new URL(path, self.location.href).href));
const ROOT = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('outrider-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** The shell URL a request is for, or undefined when the worker must leave it to the network. */
function shellUrl(request) {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  // Opening the terminal (its page, with or without index.html) is the shell's root.
  if (request.mode === 'navigate' && (url.href === ROOT || url.href === `${ROOT}index.html`)) return ROOT;
  return SHELL_URLS.has(url.href) ? url.href : undefined;
}

self.addEventListener('fetch', (event) => {
  const key = shellUrl(event.request);
  if (key === undefined) return;
  // Hashed build assets never change: cache first. The page and config.json can change (a new build,
  // a new switch address): network first, the cached copy when the network is gone.
  const immutable = new URL(key).pathname.includes('/assets/');
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      if (immutable) return (await cache.match(key)) ?? fetch(event.request);
      try {
        const response = await fetch(event.request);
        if (response.ok) await cache.put(key, response.clone());
        return response;
      } catch (error) {
        return (await cache.match(key)) ?? Promise.reject(error);
      }
    }),
  );
});
