// A terminal whose own audit chain is broken (a line changed or removed at rest): it reports the break, begins
// a new chain after it instead of extending the broken one, keeps the broken lines for IT and never sends them,
// and the real switch keeps the new chain as a flagged restart. Uploads go to the real switch over HTTP.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHAIN_RESTART, GENESIS, verifyChain } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../../src-shared/auth.ts';
import { startCheckedAuditUpload } from '../../../src-renderer/audit/audit-status.ts';
import { type AuditRefusal, startAuditUpload } from '../../../src-renderer/audit/audit-upload.ts';
import { checkAuditTrail, restartBrokenChain } from '../../../src-renderer/audit/audit-trail.ts';
import { type AuditEntry, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import type { Defences } from '../../../src-renderer/status/defences.svelte.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { adminFetch } from '../../support/admin-fetch.ts';
import { signInAt } from '../../support/switch-session.ts';

const messageSwitch = new MessageSwitch({ latencyScale: 0 });
let url: string;
let adminUrl: string;
beforeAll(async () => {
  ({ url, adminUrl } = await messageSwitch.listen());
});
afterAll(() => messageSwitch.close());

const upLink = { canSend: true, onChange: () => () => undefined };
const opened: OutriderDb[] = [];
const stops: Array<() => void> = [];
afterEach(async () => {
  stops.splice(0).forEach((stop) => stop());
  for (const db of opened.splice(0)) await db.delete();
  vi.restoreAllMocks();
});

/** A terminal with its own database and an officer signed in on it at the real switch. */
async function terminal(id: string) {
  const session = await signInAt(url, id);
  const db = openDatabase(`audit-broken-${crypto.randomUUID()}`, undefined, { stamp: () => ({ officer: session.officer.id, terminal: id }) });
  opened.push(db);
  const write = (count: number, label: string) =>
    db.audit.bulkAdd(Array.from({ length: count }, (_, n): AuditEntry => ({ at: new Date().toISOString(), action: 'query.enqueued', subject: `${label}-${n + 1}`, outcome: 'queued plate query, routine' })));
  /** Changes a stored line at rest, behind the database's back, as someone with the disk would. */
  const tamper = (seq: number) =>
    new Promise<void>((resolve, reject) => {
      const store = db.backendDB().transaction('audit', 'readwrite').objectStore('audit');
      const get = store.get(seq);
      get.onsuccess = () => {
        const put = store.put({ ...(get.result as AuditEntry), outcome: 'nothing was queued' });
        put.onsuccess = () => resolve();
        put.onerror = () => reject(put.error);
      };
    });
  const kept = async () =>
    (await (await adminFetch(messageSwitch, `${adminUrl}${authPaths.adminAudit}?terminal=${id}`)).json()) as {
      records: Array<{ seq: number; prev: string; hash: string; action: string }>;
      restarts: Array<{ seq: number; afterSeq: number; message: string }>;
    };
  const uploaded = async () => Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0);
  return { db, session, write, tamper, kept, uploaded };
}

describe('a chain broken on this terminal', () => {
  it('is reported at start, a new chain begins after it, and the broken lines are never sent', async () => {
    const car = await terminal('terminal-broken-01');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await car.write(3, 'before');
    // Lines 1-3 reach the switch; 4-6 are made offline, and line 5 is changed at rest.
    const stop = startAuditUpload({ db: car.db, baseUrl: url, link: upLink, token: () => car.session.token, retryMs: 20, gatherMs: 5 });
    await vi.waitFor(async () => expect(await car.uploaded()).toBe(3), { timeout: 10_000 });
    stop();
    await car.write(3, 'offline');
    await car.tamper(5);

    const defences = { audit: undefined } as unknown as Defences;
    stops.push(await startCheckedAuditUpload(car.db, url, upLink, () => car.session.token, defences));
    expect(defences.audit).toBe('Audit trail broken at record 5: tell IT');
    expect(error).toHaveBeenCalledWith('Audit trail broken on this terminal at record 5: record 5 was changed after it was written; a new chain begins at record 7');
    // The new chain: a restart line from GENESIS naming the break, and what is written after it chains to it.
    const restart = (await car.db.audit.get(7))!;
    expect(restart).toMatchObject({ action: CHAIN_RESTART, prev: GENESIS, subject: 'records 5-6' });
    await car.write(2, 'after');
    expect((await car.db.audit.get(8))!.prev).toBe(restart.hash);
    expect(await checkAuditTrail(car.db)).toEqual([{ seq: 5, reason: 'record 5 was changed after it was written', restartedAt: 7 }]);

    // Line 4 (before the break) and the new chain reach the switch; 5 and 6 stay here.
    await vi.waitFor(async () => expect((await car.kept()).records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 7, 8, 9]), { timeout: 10_000 });
    const held = await car.kept();
    expect(verifyChain(held.records.slice(0, 4) as never).ok).toBe(true);
    expect(verifyChain(held.records.slice(4) as never).ok).toBe(true);
    expect(held.restarts).toEqual([
      expect.objectContaining({ seq: 7, afterSeq: 4, message: expect.stringContaining('the terminal found its chain broken and began a new one at record 7 after record 4; records 5-6 stay on the terminal') }),
    ]);
  });

  it('is restarted once, however many windows start together', async () => {
    const car = await terminal('terminal-broken-02');
    await car.write(4, 'line');
    await car.tamper(2);
    const [first, second] = await Promise.all([restartBrokenChain(car.db), restartBrokenChain(car.db)]);
    expect(first).toEqual([{ seq: 2, reason: 'record 2 was changed after it was written', restartedAt: 5 }]);
    expect(second).toEqual(first);
    expect(await car.db.audit.count()).toBe(5);
    expect((await car.db.audit.toArray()).filter((line) => line.action === CHAIN_RESTART)).toHaveLength(1);
    // A restart line where nothing was broken is itself a break: it cannot hide lines removed before it.
    await car.write(1, 'line');
    await car.db.audit.add({ at: new Date().toISOString(), action: CHAIN_RESTART, subject: 'records 1-6', outcome: 'planted' });
    expect(await checkAuditTrail(car.db)).toEqual([first![0], { seq: 7, reason: 'record 7 does not follow the one before it (a record was removed or inserted)' }]);
  });

  it("reports the switch's own refusal code from its error body", async () => {
    const car = await terminal('terminal-refused-1');
    await car.write(5, 'mine');
    // The switch holds three records of another chain under this terminal's id, and this terminal believes
    // its own first three were kept: the fourth follows nothing the switch holds.
    const foreign = openDatabase(`audit-foreign-${crypto.randomUUID()}`, undefined, { stamp: () => ({ officer: '', terminal: 'terminal-refused-1' }) });
    opened.push(foreign);
    await foreign.audit.bulkAdd(Array.from({ length: 3 }, (_, n): AuditEntry => ({ at: new Date().toISOString(), action: 'session.lock', subject: `other-${n}`, outcome: 'locked' })));
    const records = (await foreign.audit.orderBy('seq').toArray()).map(({ seq, at, officer, terminal, action, subject, outcome, prev, hash }) => ({ seq, at, officer, terminal, action, subject, outcome, prev, hash }));
    const sent = await fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(car.session.token) }, body: JSON.stringify({ terminal: 'terminal-refused-1', records }) });
    expect(sent.status).toBe(200);
    await car.db.settings.put({ key: 'auditUploadedSeq', value: '3' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: Array<AuditRefusal | undefined> = [];
    stops.push(startAuditUpload({ db: car.db, baseUrl: url, link: upLink, token: () => car.session.token, retryMs: 20, gatherMs: 5, onRefusal: (refusal) => seen.push(refusal) }));
    await vi.waitFor(() => expect(seen).toEqual([expect.objectContaining({ status: 409, error: 'chain' })]), { timeout: 10_000 });
    expect(warn).toHaveBeenCalledWith('Audit upload refused by the switch: HTTP 409 chain at record 4');
    expect((await car.kept()).records.map((record) => record.seq)).toEqual([1, 2, 3]);
  });

  it("reports any other refusal by the code in the switch's error body", async () => {
    const car = await terminal('terminal-refused-2');
    // Lines in the name of an officer who never signed in on this terminal: the switch refuses them (403).
    const planted = openDatabase(`audit-planted-${crypto.randomUUID()}`, undefined, { stamp: () => ({ officer: 'TRN999', terminal: 'terminal-refused-2' }) });
    opened.push(planted);
    await planted.audit.add({ at: new Date().toISOString(), action: 'query.enqueued', subject: 'q', outcome: 'queued' });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: Array<AuditRefusal | undefined> = [];
    stops.push(startAuditUpload({ db: planted, baseUrl: url, link: upLink, token: () => car.session.token, retryMs: 20, gatherMs: 5, onRefusal: (refusal) => seen.push(refusal) }));
    await vi.waitFor(() => expect(seen).toEqual([expect.objectContaining({ status: 403, error: 'audit_officer' })]), { timeout: 10_000 });
  });
});
