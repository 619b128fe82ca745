// The offline hotlist against a real switch: fetched, stored in chunks, loaded again, kept current by deltas, and checked offline.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import { HotlistCache, JOURNAL_FIRST_ID } from '../../../src-renderer/hotlist/hotlist-cache.ts';
import { HotlistSync } from '../../../src-renderer/hotlist/hotlist-sync.ts';
import { PossibleHitWatch } from '../../../src-renderer/hotlist/possible-hit.ts';
import { Outbox } from '../../../src-renderer/outbox/outbox.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let url: string;
let adminUrl: string;
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ sessions: 'off', latencyScale: 0 });
  ({ url, adminUrl } = await messageSwitch.listen());
});
afterAll(async () => messageSwitch.close());

let db: OutriderDb;
beforeEach(() => {
  db = openDatabase(`hotlist-${crypto.randomUUID()}`);
});
afterEach(async () => db.delete());

const link = { canSend: true, onChange: () => () => undefined };
const changeHotlist = async (change: { add?: string[]; remove?: string[] }) =>
  adminFetch(messageSwitch, `${adminUrl}/v1/admin/hotlist`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(change) });

describe('offline hotlist', () => {
  it('fetches the list, stores it, and a new terminal start finds it in storage', async () => {
    const cache = new HotlistCache(db, 100);
    await cache.load();
    expect(await new HotlistSync({ cache, baseUrl: url, link }).refresh()).toBe(true);
    expect(cache.has('CA:4TRN123')).toBe(true);
    expect(cache.has('CA:4TRN000')).toBe(false);

    const again = new HotlistCache(db, 100);
    await again.load();
    expect(again.version).toBe(cache.version);
    expect(again.size).toBe(cache.size);
    expect(again.has('CA:4TRN456')).toBe(true);
    expect((await db.settings.get('hotlistFetchedAt'))?.value).toBe(cache.fetchedAt);
  });

  it('asks for the delta since its version, and stores it as one journal row beside the chunks it leaves alone', async () => {
    const cache = new HotlistCache(db, 100);
    await cache.load();
    const sync = new HotlistSync({ cache, baseUrl: url, link });
    await sync.refresh();
    const before = (await db.hotlist.toArray()).map((chunk) => chunk.plates.join());
    await changeHotlist({ add: ['CA:ZZDRILL1'] });
    const asked: string[] = [];
    const spy: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    await new HotlistSync({ cache, baseUrl: url, link, fetcher: spy }).refresh();
    expect(asked[0]).toContain('?since=');
    expect(cache.has('CA:ZZDRILL1')).toBe(true);
    const rows = await db.hotlist.toArray();
    expect(rows.filter((row) => row.id < JOURNAL_FIRST_ID).map((chunk) => chunk.plates.join())).toEqual(before);
    expect(rows.filter((row) => row.id >= JOURNAL_FIRST_ID)).toEqual([{ id: JOURNAL_FIRST_ID, plates: ['CA:ZZDRILL1'], removed: [] }]);
    // A new start reads the chunks and the journal: the delta is there.
    const again = new HotlistCache(db, 100);
    await again.load();
    expect(again.has('CA:ZZDRILL1')).toBe(true);
    expect(again.size).toBe(cache.size);
    await changeHotlist({ remove: ['CA:ZZDRILL1'] });
  });

  it('folds a full journal into the chunks, and a new start finds the same list', async () => {
    const cache = new HotlistCache(db, 100);
    await cache.load();
    const sync = new HotlistSync({ cache, baseUrl: url, link });
    await sync.refresh();
    const size = cache.size;
    const added = Array.from({ length: FIELD_CONFIG.hotlistJournalLimit.rows + 1 }, (_, i) => `CA:ZZFOLD${i}`);
    for (const [i, plate] of added.entries()) {
      await changeHotlist({ add: [plate], ...(i === 1 ? { remove: ['CA:ZZFOLD0'] } : {}) });
      await sync.refresh();
      const journal = (await db.hotlist.toArray()).filter((row) => row.id >= JOURNAL_FIRST_ID);
      // Rows pile up to the limit; the delta past it folds them all into the chunks.
      expect(journal).toHaveLength(i < FIELD_CONFIG.hotlistJournalLimit.rows ? i + 1 : 0);
    }
    expect(added.map((plate) => cache.has(plate))).toEqual([false, ...added.slice(1).map(() => true)]);
    expect(cache.size).toBe(size + added.length - 1);
    const stored = (await db.hotlist.toArray()).flatMap((row) => row.plates);
    expect(stored).toContain('CA:ZZFOLD4');
    expect(stored).not.toContain('CA:ZZFOLD0');
    const again = new HotlistCache(db, 100);
    await again.load();
    expect(added.map((plate) => again.has(plate))).toEqual([false, ...added.slice(1).map(() => true)]);
    expect(again.size).toBe(cache.size);
    expect(again.version).toBe(cache.version);
    await changeHotlist({ remove: added });
  });

  it('drops the journal when a whole list replaces it', async () => {
    const cache = new HotlistCache(db, 100);
    await cache.load();
    await cache.replace({ version: 'v1', generatedAt: new Date().toISOString(), plates: ['CA:AAA111', 'CA:BBB222'] }, new Date());
    await cache.applyDelta({ kind: 'delta', fromVersion: 'v1', version: 'v2', generatedAt: new Date().toISOString(), count: 2, added: ['CA:CCC333'], removed: ['CA:AAA111'] }, new Date());
    expect(await db.hotlist.count()).toBe(2);
    await cache.replace({ version: 'v3', generatedAt: new Date().toISOString(), plates: ['CA:DDD444'] }, new Date());
    expect(await db.hotlist.toArray()).toEqual([{ id: 0, plates: ['CA:DDD444'] }]);
    const again = new HotlistCache(db, 100);
    await again.load();
    expect(['CA:AAA111', 'CA:BBB222', 'CA:CCC333', 'CA:DDD444'].map((plate) => again.has(plate))).toEqual([false, false, false, true]);
  });

  it('raises a possible hit for a plate queued offline, and nothing for one queued online', async () => {
    const cache = new HotlistCache(db);
    await cache.load();
    await new HotlistSync({ cache, baseUrl: url, link }).refresh();
    const outbox = new Outbox(db);
    const offline = { canSend: false };
    const raised: string[] = [];
    const watch = new PossibleHitWatch({ db, cache, link: offline, onAlert: (alert) => raised.push(alert.title) });
    const hit = await outbox.enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
    const clean = await outbox.enqueue({ kind: 'plate', lic: '4TRN000', lis: 'CA' }, 'routine');
    await watch.check([hit.id, clean.id]);
    expect(raised).toEqual([expect.stringMatching(/^POSSIBLE HIT: hotlist of \d\d:\d\d, confirm when connected$/)]);
    const alert = await db.alerts.where('queryId').equals(hit.id).first();
    expect(alert).toMatchObject({ severity: 'possible_hit', rank: 2, sources: ['Hotlist'], subject: 'Plate 4TRN123 (CA)' });
    expect((await db.audit.toArray()).some((line) => line.action === 'alert.raised' && line.subject === alert!.id)).toBe(true);
    // Checked again (another window, a restart): still one alert.
    await watch.check([hit.id]);
    expect(await db.alerts.count()).toBe(1);
  });

  it('raises the possible hit of a plate queued just before the link dropped, once the link drops', async () => {
    const cache = new HotlistCache(db);
    await cache.load();
    await new HotlistSync({ cache, baseUrl: url, link }).refresh();
    const listeners = new Set<() => void>();
    const edge = {
      canSend: true,
      onChange(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const raised: string[] = [];
    const stop = new PossibleHitWatch({ db, cache, link: edge, onAlert: (alert) => raised.push(alert.subject) }).start();
    try {
      // Queued at the canyon's edge: the link could still send, so the live answer was expected.
      await new Outbox(db).enqueue({ kind: 'plate', lic: '4TRN123', lis: 'CA' }, 'routine');
      await new Promise((resolve) => setTimeout(resolve, 3 * FIELD_CONFIG.viewRefreshMs));
      expect(raised).toEqual([]);
      // The link drops before the answer: nothing in the queue changes, and the hotlist is asked now.
      edge.canSend = false;
      for (const listener of listeners) listener();
      await expect.poll(() => raised, { timeout: 2_000 }).toEqual(['Plate 4TRN123 (CA)']);
      expect(await db.alerts.count()).toBe(1);
    } finally {
      stop();
    }
    expect(listeners.size).toBe(0);
  });

  it('stores and loads a million plates and finds them', async () => {
    const plates = Array.from({ length: 1_000_000 }, (_, n) => `CA:${n.toString(36).toUpperCase().padStart(6, '0')}`);
    const cache = new HotlistCache(db);
    await cache.replace({ version: 'bench.1', generatedAt: new Date().toISOString(), plates }, new Date());
    const loaded = new HotlistCache(db);
    await loaded.load();
    expect(loaded.size).toBe(1_000_000);
    expect(await db.hotlist.count()).toBe(20);
    expect(loaded.has(plates[0]!) && loaded.has(plates[499_999]!) && loaded.has(plates[999_999]!)).toBe(true);
    expect(loaded.has('CA:ZZZZZZZ')).toBe(false);
    await loaded.applyDelta({ kind: 'delta', fromVersion: 'bench.1', version: 'bench.2', generatedAt: new Date().toISOString(), count: 1_000_000, added: ['CA:ZZZZZZZ'], removed: [plates[0]!] }, new Date());
    expect(loaded.has('CA:ZZZZZZZ')).toBe(true);
    expect(loaded.has(plates[0]!)).toBe(false);
  }, 120_000);
});
