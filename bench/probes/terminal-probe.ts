// Runs in the terminal's page before the app (an init script): records Enter, outbox commits and
// the moment the terminal is usable, and seeds or counts IndexedDB rows. It reads and observes; it
// changes nothing the app does.

/** The app's database name and stores (src-renderer/db/database.ts); the probe writes rows in that schema. */
const DATABASE = 'outrider';

export interface TerminalProbe {
  /** performance.now() of every Enter keydown, taken in the window's capture phase before the app sees it. */
  enters: number[];
  /** performance.now() of every query committed to the intake (the app's 'outrider:query-committed' marks), in order. */
  commits: number[];
  /** When the status bar first showed "Link:" and the plate field took focus. */
  readyAt?: number;
  /** When the use notice showed (the first screen), and when the officer submitted the unlock. */
  noticeAt?: number;
  unlockAt?: number;
  /** Writes `count` rows straight into one of the app's stores: copies of `template`, each with its own id and times. */
  seed(store: string, template: Record<string, unknown>, count: number, kind: SeedKind, prefix: string): Promise<void>;
  /** How many outbox rows have this status (via the app's own status index). */
  countStatus(status: string): Promise<number>;
  /** Resolves with performance.now() once `count` outbox rows have this status, polling every `everyMs`. */
  whenStatusCount(status: string, count: number, everyMs: number): Promise<number>;
  /** Resolves once `count` commits have been seen: one wait, nothing polled meanwhile. */
  whenCommits(count: number): Promise<void>;
  /** Every mark of these names with its query id. */
  marks(names: string[]): Array<{ name: string; startTime: number; queryId: string }>;
}

/** How a seeded row differs from its template: a fresh id per row, in the shape of the store. */
export type SeedKind = 'queued-outbox' | 'answered-outbox' | 'answer';

declare global {
  interface Window {
    __benchProbe: TerminalProbe;
  }
}

let app: Promise<IDBDatabase> | undefined;

/** One connection of the probe's own to the app's database, at whatever version the app made it. */
function openApp(): Promise<IDBDatabase> {
  app ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return app;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * Row i of a seeded set: ids are the run's prefix and i, so the outbox and answers rows of one query
 * match, and another run's ids (which the switch remembers as Idempotency-Keys) never come back.
 */
function seededRow(template: Record<string, unknown>, i: number, kind: SeedKind, base: number, prefix: string): Record<string, unknown> {
  const id = `${prefix}-${String(i).padStart(12, '0')}`;
  const at = new Date(base + i).toISOString();
  const lic = `S${String(i).padStart(6, '0')}`;
  if (kind === 'answer') return { ...template, queryId: id, switchQueryId: `switch-${id}`, receivedAt: at, askedAt: at, sentAt: at, answeredAt: at };
  const query = { ...(template.query as Record<string, unknown>), lic };
  const row = { ...template, id, query, seq: base * 1000 + i, askedAt: at };
  return kind === 'answered-outbox' ? { ...row, status: 'answered', attempts: 1, sentAt: at, answeredAt: at } : { ...row, status: 'queued', attempts: 0 };
}

/** Callers of whenCommits still waiting. */
const commitWaits: Array<{ count: number; resolve: () => void }> = [];

const probe: TerminalProbe = {
  enters: [],
  commits: [],
  async seed(store, template, count, kind, prefix) {
    const db = await openApp();
    const base = Date.now() - count - 60_000;
    // Written plain, as a version from before sealing at rest wrote them: the sealed-rows mark is cleared so
    // the app's next start seals them, as it does after such an upgrade (that start is a warm-up, not timed).
    const tx = db.transaction([store, 'settings'], 'readwrite');
    const rows = tx.objectStore(store);
    for (let i = 0; i < count; i++) rows.put(seededRow(template, i, kind, base, prefix));
    tx.objectStore('settings').delete('rowsSealedAtVersion');
    await done(tx);
  },
  async countStatus(status) {
    const db = await openApp();
    const tx = db.transaction('outbox', 'readonly');
    const request = tx.objectStore('outbox').index('status').count(status);
    const count = await new Promise<number>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return count;
  },
  async whenStatusCount(status, count, everyMs) {
    while ((await probe.countStatus(status)) < count) await new Promise((resolve) => setTimeout(resolve, everyMs));
    return performance.now();
  },
  whenCommits(count) {
    return probe.commits.length >= count ? Promise.resolve() : new Promise((resolve) => commitWaits.push({ count, resolve }));
  },
  marks(names) {
    return performance
      .getEntriesByType('mark')
      .filter((mark) => names.includes(mark.name))
      .map((mark) => ({ name: mark.name, startTime: mark.startTime, queryId: String((mark as PerformanceMark).detail?.queryId ?? '') }));
  },
};
window.__benchProbe = probe;

addEventListener(
  'keydown',
  (event) => {
    if (event.key === 'Enter') probe.enters.push(performance.now());
  },
  { capture: true },
);

// A query is durable once its row (sealed, with its audit line) is committed to the intake. That commit
// happens in the intake's worker, where this script cannot listen: the app marks it with the worker's own
// time of the transaction's 'complete' event (src-renderer/perf-marks.ts). The enqueue bench checks
// afterwards that every query entered is really in storage.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name !== 'outrider:query-committed') continue;
    // Marks with a start time of their own can arrive out of order: kept sorted for pairing.
    const at = entry.startTime;
    let i = probe.commits.length;
    while (i > 0 && probe.commits[i - 1]! > at) i--;
    probe.commits.splice(i, 0, at);
  }
  for (const wait of commitWaits.filter((each) => probe.commits.length >= each.count)) {
    commitWaits.splice(commitWaits.indexOf(wait), 1);
    wait.resolve();
  }
}).observe({ type: 'mark' });

// The officer's own time at the notice and the password is theirs, not the terminal's: the two are timed apart.
addEventListener('submit', (event) => {
  if (event.target instanceof HTMLFormElement && event.target.getAttribute('aria-label') === 'Unlock') probe.unlockAt = performance.now();
}, { capture: true });

// Usable means: the status bar says "Link:" and the plate field takes focus.
const observer = new MutationObserver(() => {
  if (probe.noticeAt === undefined && document.getElementById('notice-heading')) probe.noticeAt = performance.now();
  const bar = document.querySelector('[aria-label="Terminal status"]');
  const plate = document.getElementById('plate-lic');
  if (!bar?.textContent?.includes('Link:') || !(plate instanceof HTMLInputElement) || plate.disabled) return;
  plate.focus();
  if (document.activeElement !== plate) return;
  probe.readyAt = performance.now();
  observer.disconnect();
});
observer.observe(document, { childList: true, subtree: true, characterData: true });
