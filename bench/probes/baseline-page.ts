// The baseline page, bundled by esbuild and served on its own origin: a raw IndexedDB put (the floor),
// Workbox's Queue in the page (pushRequest and replayRequests), and a page whose service worker queues
// failed POSTs the way Workbox's documentation shows.
import { Queue } from 'workbox-background-sync';
import { bearer } from '../../src-shared/auth.ts';
import { fail } from '../../src-shared/result.ts';
import { openDatabase } from '../../src-renderer/db/database.ts';
import { HotlistCache } from '../../src-renderer/hotlist/hotlist-cache.ts';
import { fetchHotlist } from '../../src-renderer/hotlist/hotlist-fetch.ts';
import { loadDataKey } from '../../src-renderer/vault/data-key.ts';
import { openFloor, putRow } from './floor-row.ts';
import type { FloorReply, FloorRequest } from './floor-worker.ts';

/** What Enter runs in the baseline page: a raw put on the page's thread, the same from a worker, or Workbox's pushRequest. */
export type EnterContender = 'floor' | 'floor-worker' | 'workbox';

export interface BaselinePage {
  /** The officer's session token, which every request to the switch below then carries, as the terminal's do. */
  useSession(token: string): void;
  /** Durations of `count` single-put read-write transactions, call to 'complete', in this page left idle. */
  floor(count: number): Promise<number[]>;
  /**
   * Makes the Enter key in this page's plate field run one contender, as the terminal's Enter queues a query:
   * a raw put of the plate typed (the floor), from this page's thread or posted to a worker of its own as the
   * terminal's intake is, committed with `durability`; or Workbox's pushRequest of the POST the terminal sends.
   */
  onEnter(contender: EnterContender, queueName: string, switchUrl: string, durability: IDBTransactionDurability): void;
  /** For each Enter, in order: the keydown's time (a capture listener on the window) and the time its write was done. */
  keyed: { enters: number[]; done: number[] };
  /** Resolves once `count` Enters have had their write done. */
  whenKeyed(count: number): Promise<void>;
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

let floorDb: Promise<IDBDatabase> | undefined;

async function putOnce(db: IDBDatabase, i: number): Promise<number> {
  const started = performance.now();
  await putRow(db, `F${String(i).padStart(6, '0')}`, i);
  return performance.now() - started;
}

/** The floor's worker, started on first use; the Enters waiting for its answer, by number. */
let floorWorker: Worker | undefined;
const workerWaits = new Map<number, { resolve(at: number): void; reject(error: Error): void }>();

/** A raw put by the floor's worker; resolves with the time of its 'complete' on this page's clock. */
function putInWorker(lic: string, i: number, durability: IDBTransactionDurability): Promise<number> {
  floorWorker ??= Object.assign(new Worker('./floor-worker.js'), {
    onmessage: (event: MessageEvent<FloorReply>) => {
      const reply = event.data;
      const wait = workerWaits.get(reply.i);
      workerWaits.delete(reply.i);
      if (reply.ok) wait?.resolve(reply.completedAt - performance.timeOrigin);
      else wait?.reject(new Error(reply.message));
    },
  });
  const done = new Promise<number>((resolve, reject) => workerWaits.set(i, { resolve, reject }));
  floorWorker.postMessage({ i, lic, durability } satisfies FloorRequest);
  return done;
}

/** What Enter runs now (set by onEnter): resolves when its write is done, with that time when it was taken elsewhere. */
let onEnterKey: ((lic: string, i: number) => Promise<number | void>) | undefined;
let keyedDone = 0;
const keyedWaits: Array<{ count: number; resolve: () => void; reject: (error: Error) => void }> = [];

function keyedSettled(error?: Error): void {
  for (const wait of [...keyedWaits]) {
    if (!error && keyedDone < wait.count) continue;
    keyedWaits.splice(keyedWaits.indexOf(wait), 1);
    if (error) wait.reject(error);
    else wait.resolve();
  }
}

// Installed before anything else listens, as the terminal's probe is: the keydown's time is taken first.
addEventListener(
  'keydown',
  (event) => {
    if (event.key !== 'Enter' || event.repeat || !onEnterKey) return;
    const i = window.baseline.keyed.enters.push(performance.now()) - 1;
    event.preventDefault();
    const lic = document.querySelector<HTMLInputElement>('#lic')?.value ?? '';
    onEnterKey(lic, i).then(
      (at) => {
        window.baseline.keyed.done[i] = at ?? performance.now();
        keyedDone++;
        keyedSettled();
      },
      (error: unknown) => keyedSettled(error instanceof Error ? error : new Error(String(error))),
    );
  },
  { capture: true },
);

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
  onEnter(contender, queueName, switchUrl, durability) {
    const contenders = {
      floor: async (lic: string, i: number) => putRow(await (floorDb ??= openFloor()), lic, i, durability),
      'floor-worker': (lic: string, i: number) => putInWorker(lic, i, durability),
      workbox: (lic: string) => queue(queueName).pushRequest({ request: queryRequest(switchUrl, crypto.randomUUID(), lic) }),
    };
    onEnterKey = contenders[contender];
  },
  keyed: { enters: [], done: [] },
  whenKeyed(count) {
    return keyedDone >= count ? Promise.resolve() : new Promise((resolve, reject) => keyedWaits.push({ count, resolve, reject }));
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
