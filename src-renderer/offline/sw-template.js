// App-shell worker for the browser build: a terminal must open in a dead zone. Query traffic to the
// switch is never cached (it is CJI and must be live); only the shell and its configuration are.
const CACHE = 'outrider-shell-__VERSION__';
const SHELL = __SHELL__;

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

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const key = event.request.mode === 'navigate' ? new Request('./') : event.request;
  // Hashed build assets never change: cache first. The page and config.json can change (a new build,
  // a new switch address): network first, the cached copy when the network is gone.
  const immutable = url.pathname.includes('/assets/');
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      if (immutable) return (await cache.match(key)) ?? fetch(event.request);
      try {
        const response = await fetch(event.request);
        if (response.ok) await cache.put(key, response.clone());
        return response;
      } catch (error) {
        return (await cache.match(key, { ignoreSearch: true })) ?? Promise.reject(error);
      }
    }),
  );
});
