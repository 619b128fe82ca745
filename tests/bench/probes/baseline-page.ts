// The baseline page, bundled by esbuild and served on its own origin: a raw IndexedDB put (the floor),
// Workbox's Queue in the page (pushRequest and replayRequests), and a page whose service worker queues
// failed POSTs the way Workbox's documentation shows.
import { Queue } from 'workbox-background-sync';
import { bearer } from '../../../src-shared/auth.ts';
import { fail } from '../../../src-shared/result.ts';
import { openDatabase } from '../../../src-renderer/db/database.ts';
import { HotlistCache } from '../../../src-renderer/hotlist/hotlist-cache.ts';
import { fetchHotlist } from '../../../src-renderer/hotlist/hotlist-fetch.ts';
import { loadDataKey } from '../../../src-renderer/vault/data-key.ts';

export interface BaselinePage {
  /** The officer's session token, which every request to the switch below then carries, as the terminal's do. */
  useSession(token: string): void;
  /** Durations of `count` single-put read-write transactions, call to 'complete'. */
  floor(count: number): Promise<number[]>;
  /** Durations of `count` Queue.pushRequest calls, call to resolved, each POST like the terminal's. */
  workboxPush(queueName: string, switchUrl: string, count: number): Promise<number[]>;
  /** Queues `count` POSTs without timing them, for a replay. */
  workboxFill(queueName: string, switchUrl: string, count: number): Promise<void>;
  /** Milliseconds Queue.replayRequests takes to send everything queued. */
  workboxReplay(queueName: string): Promise<number>;
  /** Registers the service worker and resolves once it controls this page. */
  useWorker(): Promise<void>;
  /** POSTs one query through the service worker, giving up after `timeoutMs` as the terminal does. Fire and forget. */
  send(switchUrl: string, key: string, lic: string, timeoutMs: number): void;
  /** Epoch time at which the page got an answer to each key `send` posted: what an app could alert on. */
  answered: Record<string, number>;
  /** Downloads a hotlist snapshot or delta (gzip when the switch offers it, as a browser asks) and parses it. */
  hotlist(url: string): Promise<{ ms: number; count: number; version: string; sample: string[] }>;
  /**
   * The terminal's own hotlist code in this page, on Chromium's IndexedDB and sealed at rest as the terminal
   * seals it: download, check and store a snapshot; a cold load from storage; lookups of `probes`.
   */
  terminalHotlist(switchUrl: string, probes: string[]): Promise<{ storeMs: number; loadMs: number; lookupP99Ms: number; size: number }>;
  /** The same cache brought up to date with the switch's delta: download, apply, store. */
  terminalHotlistDelta(switchUrl: string): Promise<{ ms: number; size: number }>;
}

declare global {
  interface Window {
    baseline: BaselinePage;
  }
}

// Workbox's Queue reads self.registration, which only a service worker has. An empty one sends Queue down
// its own no-Background-Sync path (replay on construction, nothing registered): its storage is unchanged.
if (!('registration' in self)) Object.defineProperty(self, 'registration', { value: {} });

const queues = new Map<string, Queue>();
/** The Authorization header once useSession has been called: the switch answers no CJI request without one. */
let session: Record<string, string> = {};
/** fetch with the session, for the terminal's own hotlist code. */
const sessionFetch: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...session } });
let heldHotlist: HotlistCache | undefined;
/** Lookups are timed in batches: one takes about a microsecond, below what performance.now() resolves. */
const LOOKUP_BATCH = 50;
// In a page Queue would replay as soon as it is made; the bench calls replayRequests itself, when it times it.
const queue = (name: string) => queues.get(name) ?? queues.set(name, new Queue(name, { onSync: async () => undefined })).get(name)!;

/** The same POST the terminal sends for a plate query (src-renderer/sync/switch-client.ts). */
function queryRequest(switchUrl: string, key: string, lic: string, signal?: AbortSignal): Request {
  const body = JSON.stringify({ query: { kind: 'plate', lic, lis: 'CA' }, askedAt: new Date().toISOString(), priority: 'routine' });
  return new Request(`${switchUrl}/v1/queries`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...session },
    body,
    cache: 'no-store',
    ...(signal ? { signal } : {}),
  });
}

function openFloor(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('bench-floor', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('queue', { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let floorDb: Promise<IDBDatabase> | undefined;

function putOnce(db: IDBDatabase, i: number): Promise<number> {
  const started = performance.now();
  const tx = db.transaction('queue', 'readwrite');
  // A row the size of an outbox entry.
  tx.objectStore('queue').put({
    id: crypto.randomUUID(),
    query: { kind: 'plate', lic: `F${String(i).padStart(6, '0')}`, lis: 'CA' },
    priority: 'routine',
    lane: 2,
    seq: Date.now() * 1000 + i,
    status: 'queued',
    attempts: 0,
    askedAt: new Date().toISOString(),
  });
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(performance.now() - started);
    tx.onerror = () => reject(tx.error);
  });
}

window.baseline = {
  useSession(token) {
    session = bearer(token);
  },
  async floor(count) {
    floorDb ??= openFloor();
    const db = await floorDb;
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(await putOnce(db, i));
    return times;
  },
  async workboxPush(queueName, switchUrl, count) {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const request = queryRequest(switchUrl, crypto.randomUUID(), `W${String(i).padStart(6, '0')}`);
      const started = performance.now();
      await queue(queueName).pushRequest({ request });
      times.push(performance.now() - started);
    }
    return times;
  },
  async workboxFill(queueName, switchUrl, count) {
    for (let i = 0; i < count; i++) {
      await queue(queueName).pushRequest({ request: queryRequest(switchUrl, crypto.randomUUID(), `R${String(i).padStart(6, '0')}`) });
    }
  },
  async workboxReplay(queueName) {
    const started = performance.now();
    await queue(queueName).replayRequests();
    return performance.now() - started;
  },
  async useWorker() {
    await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  },
  send(switchUrl, key, lic, timeoutMs) {
    void fetch(queryRequest(switchUrl, key, lic, AbortSignal.timeout(timeoutMs)))
      .then(async (response) => {
        if (response.ok && (await response.json())) window.baseline.answered[key] = performance.timeOrigin + performance.now();
      })
      .catch(() => undefined);
  },
  answered: {},
  async terminalHotlist(switchUrl, probes) {
    const name = `bench-hotlist-${crypto.randomUUID()}`;
    // A browser has no keychain: the data key is wrapped by a WebCrypto key, as in the browser build.
    const db = openDatabase(name, () => loadDataKey({ protectKey: async () => fail('none'), unprotectKey: async () => fail('none') }, `${name}-keys`));
    await db.open();
    const started = performance.now();
    const answer = await fetchHotlist(switchUrl, undefined, sessionFetch);
    if (answer.kind !== 'snapshot') throw new Error('The switch sent a delta for a first download');
    await new HotlistCache(db).replace(answer.snapshot, new Date());
    const storeMs = performance.now() - started;
    const cold = new HotlistCache(db);
    const loadStarted = performance.now();
    await cold.load();
    const loadMs = performance.now() - loadStarted;
    const perLookup: number[] = [];
    for (let from = 0; from + LOOKUP_BATCH <= probes.length; from += LOOKUP_BATCH) {
      const batchStarted = performance.now();
      for (let i = from; i < from + LOOKUP_BATCH; i++) cold.has(probes[i]!);
      perLookup.push((performance.now() - batchStarted) / LOOKUP_BATCH);
    }
    perLookup.sort((a, b) => a - b);
    heldHotlist = cold;
    return { storeMs, loadMs, lookupP99Ms: perLookup[Math.min(perLookup.length - 1, Math.ceil(perLookup.length * 0.99) - 1)] ?? 0, size: cold.size };
  },
  async terminalHotlistDelta(switchUrl) {
    const cache = heldHotlist;
    if (!cache) throw new Error('terminalHotlist must run first');
    const started = performance.now();
    const answer = await fetchHotlist(switchUrl, cache.version, sessionFetch);
    if (answer.kind !== 'delta') throw new Error('The switch sent a whole list where a delta was asked for');
    await cache.applyDelta(answer.delta, new Date());
    return { ms: performance.now() - started, size: cache.size };
  },
  async hotlist(url) {
    const started = performance.now();
    const response = await fetch(url, { cache: 'no-store', headers: session });
    const answer = (await response.json()) as { version: string; count: number; plates?: string[] };
    const ms = performance.now() - started;
    // A spread-out sample of the snapshot's plates, for the bench to clear from the list as a delta.
    const plates = answer.plates ?? [];
    const stride = Math.max(1, Math.floor(plates.length / 5_000));
    const sample = plates.filter((_, i) => i % stride === 0).slice(0, 5_000);
    return { ms, count: answer.count, version: answer.version, sample };
  },
};
