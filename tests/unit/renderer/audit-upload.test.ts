// The audit upload against a fake switch that checks the chain as the real one does: every line once, in order.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuditChainRefusal, type AuditRecord, AuditUpload, GENESIS, verifyChain } from '../../../src-shared/audit-chain.ts';
import type { ErrorBody } from '../../../src-shared/protocol.ts';
import { authPaths } from '../../../src-shared/auth.ts';
import { FIELD_CONFIG } from '../../../src-shared/field-config.ts';
import { startAuditUpload } from '../../../src-renderer/audit/audit-upload.ts';
import { type AuditEntry, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { SCHEMA_V1 } from '../../../src-renderer/db/schema-history.ts';

const BASE = 'https://switch.test';
const TERMINAL = 'terminal-test-0001';

type Trouble = 'unreachable' | 'error' | 'receipt-lost';

/** The switch's error body, as every refusal is sent (src-switch/protocol/error-reply.ts). */
const refusal = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** The switch's 409 for an upload that does not chain on after `last`, the last record it holds. */
const chainRefusal = (seq: number, message: string, last?: AuditRecord): AuditChainRefusal => ({
  ...refusal('chain', message),
  seq,
  expected: last?.hash ?? GENESIS,
  expectedSeq: (last?.seq ?? 0) + 1,
});

/** Keeps uploads as a switch would: a chain per terminal, records it already holds dropped, a break refused with 409. */
function fakeSwitch(options: { token?: string; chainOf?: (terminal: string) => string } = {}) {
  const chains = new Map<string, AuditRecord[]>();
  const uploads: Array<{ token: string; upload: AuditUpload }> = [];
  const trouble: Trouble[] = [];
  let accepted = options.token ?? 't1';
  const reply = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status });
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    expect(String(url)).toBe(`${BASE}${authPaths.audit}`);
    const next = trouble.shift();
    if (next === 'unreachable') throw new TypeError('fetch failed');
    const token = new Headers(init?.headers).get('authorization')!.replace(/^Bearer /, '');
    // As the switch's Fastify bodyLimit does, before reading a byte of it.
    if (new TextEncoder().encode(String(init?.body)).length > FIELD_CONFIG.maxBodyBytes) return reply(413, refusal('body_too_large', 'too large'));
    const upload = AuditUpload.parse(JSON.parse(String(init?.body)));
    uploads.push({ token, upload });
    if (token !== accepted) return reply(401, refusal('session', 'sign in again'));
    if (next === 'error') return reply(503);
    const key = (options.chainOf ?? ((terminal) => terminal))(upload.terminal);
    const chain = chains.get(key) ?? [];
    const fresh = upload.records.filter((record) => record.seq > (chain.at(-1)?.seq ?? 0));
    const last = chain.at(-1);
    if (!verifyChain(fresh, last?.hash ?? GENESIS).ok) return reply(409, chainRefusal(fresh[0]!.seq, 'chain broken', last));
    chains.set(key, [...chain, ...fresh]);
    if (next === 'receipt-lost') return reply(502);
    const held = chains.get(key)!.at(-1)!;
    return reply(200, { kept: fresh.length, seq: held.seq, last: held.hash });
  };
  return { fetch, uploads, trouble, chains, accept: (token: string) => (accepted = token) };
}

function fakeLink(up: boolean) {
  const listeners = new Set<() => void>();
  const link = {
    looks: 0,
    get canSend() {
      link.looks++;
      return up;
    },
    onChange(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state: boolean) {
      up = state;
      listeners.forEach((listener) => listener());
    },
  };
  return link;
}

const lines = (count: number, from = 1): AuditEntry[] =>
  Array.from({ length: count }, (_, index) => ({ at: new Date().toISOString(), action: 'query.enqueued', subject: `q${from + index}`, outcome: 'queued plate query, routine' }));

const uploadedSeq = async (db: OutriderDb) => Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0);

let db: OutriderDb;
let who: { officer: string; terminal: string };
const stops: Array<() => void> = [];
function start(deps: Omit<Parameters<typeof startAuditUpload>[0], 'db' | 'baseUrl'>): void {
  stops.push(startAuditUpload({ db, baseUrl: BASE, retryMs: 10, gatherMs: 5, ...deps }));
}

function open(name = `audit-upload-${crypto.randomUUID()}`): void {
  who = { officer: 'TRN101', terminal: TERMINAL };
  db = openDatabase(name, undefined, { stamp: () => who });
}
afterEach(async () => {
  stops.splice(0).forEach((stop) => stop());
  await db.delete();
});

describe('the audit upload', () => {
  it("sends every line once, in order, in batches under the switch's body limit, and marks what the switch kept", async () => {
    open();
    const fake = fakeSwitch();
    await db.audit.bulkAdd(lines(1203));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(1203), { timeout: 10_000 });
    // About 40 records a batch; each batch starts where the one before ended.
    expect(fake.uploads.length).toBeGreaterThan(20);
    expect(fake.uploads.map(({ upload }) => upload.records[0]!.seq)).toEqual(fake.uploads.map((_, index) => 1 + fake.uploads.slice(0, index).reduce((sum, { upload }) => sum + upload.records.length, 0)));
    expect(fake.uploads.every(({ token, upload }) => token === 't1' && upload.terminal === TERMINAL)).toBe(true);
    const kept = fake.chains.get(TERMINAL)!;
    expect(kept.map((record) => record.seq)).toEqual(Array.from({ length: 1203 }, (_, index) => index + 1));
    expect(verifyChain(kept)).toMatchObject({ ok: true });
    expect(kept[0]).toMatchObject({ officer: 'TRN101', terminal: TERMINAL, action: 'query.enqueued', subject: 'q1', prev: GENESIS });

    // A new line wakes it: only that line goes.
    await db.audit.add(lines(1, 1204)[0]!);
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(1204));
    expect(fake.uploads.at(-1)!.upload.records.map((record) => record.seq)).toEqual([1204]);
  });

  it('stands aside while queries wait to be sent, and goes once they have gone', async () => {
    open();
    const fake = fakeSwitch();
    const link = Object.assign(fakeLink(true), { urgent: true });
    await db.audit.bulkAdd(lines(3));
    start({ link, token: () => 't1', fetch: fake.fetch, yieldMs: 5 });
    // The link is up and lines wait, but so do the officer's queries: they drain first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.uploads).toEqual([]);
    expect(await uploadedSeq(db)).toBe(0);
    link.urgent = false;
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3));
    expect(fake.uploads).toHaveLength(1);
  });

  it('lets one batch through at a time when queries have waited past the limit, so the trail is never held for good', async () => {
    open();
    const fake = fakeSwitch();
    const link = Object.assign(fakeLink(true), { urgent: true });
    await db.audit.bulkAdd(lines(81));
    start({ link, token: () => 't1', fetch: fake.fetch, yieldMs: 5, yieldLimitMs: 200 });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBeGreaterThan(0));
    const first = await uploadedSeq(db);
    // The next batch waits out the limit again: the queries still come first.
    expect(await uploadedSeq(db)).toBe(first);
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(81), { timeout: 5_000 });
    expect(fake.uploads.map(({ upload }) => upload.records.length).reduce((a, b) => a + b)).toBe(81);
    expect(fake.uploads.length).toBeGreaterThan(1);
  });

  it('tries again after a failure, and the switch ends with each line once', async () => {
    open();
    const fake = fakeSwitch();
    fake.trouble.push('unreachable', 'error', 'receipt-lost');
    await db.audit.bulkAdd(lines(3));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3));
    // The batch whose receipt was lost went again; the switch already held it and kept nothing twice.
    expect(fake.uploads.map(({ upload }) => upload.records.map((record) => record.seq))).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(fake.chains.get(TERMINAL)!.map((record) => record.seq)).toEqual([1, 2, 3]);
  });

  it('tries again soon after uploads the link lost, whatever the count, not after the long wait a failing switch gets', async () => {
    open();
    const fake = fakeSwitch();
    // Six uploads lost on the way in a row, as a flapping link loses them: a switch that answered with errors
    // as often would be left alone for 2 + 4 + 8 + 16 + 32 s here; a link that loses them is tried again in
    // steps of 10 ms doubled, at most the switch's first wait (2 s).
    fake.trouble.push(...Array<Trouble>(6).fill('unreachable'));
    await db.audit.bulkAdd(lines(3));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch, retryMs: 2_000, linkRetryMs: 10 });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3), { timeout: 5_000 });
    expect(fake.trouble).toEqual([]);
    expect(fake.chains.get(TERMINAL)!.map((record) => record.seq)).toEqual([1, 2, 3]);
  });

  it('keeps the long wait for a switch that answers with errors', async () => {
    open();
    const fake = fakeSwitch();
    fake.trouble.push('error', 'error');
    await db.audit.bulkAdd(lines(3));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch, retryMs: 400, linkRetryMs: 10 });
    await vi.waitFor(() => expect(fake.uploads).toHaveLength(2), { timeout: 2_000 });
    // The second error waits 800 ms: not tried again at the link's pace.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.uploads).toHaveLength(2);
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3), { timeout: 3_000 });
  });

  it('tries again at once when the link changed while the upload it lost was on the wire', async () => {
    open();
    const fake = fakeSwitch();
    const link = fakeLink(true);
    let lose: (() => void) | undefined;
    // The first upload hangs until the link has changed under it, then is lost.
    const hanging = async (url: string | URL | Request, init?: RequestInit) => {
      if (!lose) {
        await new Promise<void>((resolve) => (lose = resolve));
        throw new TypeError('fetch failed');
      }
      return fake.fetch(url, init);
    };
    await db.audit.bulkAdd(lines(2));
    // Both waits are a minute: only the change of link can bring the retry forward.
    start({ link, token: () => 't1', fetch: hanging, retryMs: 60_000, linkRetryMs: 60_000 });
    await vi.waitFor(() => expect(lose).toBeDefined());
    link.set(true);
    lose!();
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(2), { timeout: 2_000 });
  });

  it('keeps what the switch refuses as a broken chain, and tries again later', async () => {
    open();
    const fake = fakeSwitch();
    await db.audit.bulkAdd(lines(2));
    // The switch holds a line this terminal never wrote: everything after it is refused.
    fake.chains.set(TERMINAL, [{ seq: 1, at: '2026-11-23T14:05:09.37Z', officer: '', terminal: TERMINAL, action: 'x', subject: '', outcome: '', prev: GENESIS, hash: 'f'.repeat(64) }]);
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(() => expect(fake.uploads.length).toBeGreaterThanOrEqual(2));
    expect(await uploadedSeq(db)).toBe(0);
    fake.chains.delete(TERMINAL);
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(2));
  });

  it('never has two uploads on the wire, however often it is woken', async () => {
    open();
    const fake = fakeSwitch();
    const link = fakeLink(true);
    let onWire = 0;
    let most = 0;
    const slow = async (url: string | URL | Request, init?: RequestInit) => {
      most = Math.max(most, ++onWire);
      await new Promise((resolve) => setTimeout(resolve, 5));
      onWire--;
      return fake.fetch(url, init);
    };
    start({ link, token: () => 't1', fetch: slow });
    for (let n = 1; n <= 20; n++) {
      await db.audit.add(lines(1, n)[0]!);
      link.set(true);
    }
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(20));
    expect(most).toBe(1);
    expect(fake.chains.get(TERMINAL)!.map((record) => record.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('waits while the link is down and sends when it comes back', async () => {
    open();
    const fake = fakeSwitch();
    const link = fakeLink(false);
    await db.audit.bulkAdd(lines(2));
    start({ link, token: () => 't1', fetch: fake.fetch });
    // It has looked, with lines waiting, and found the link down.
    await vi.waitFor(() => expect(link.looks).toBeGreaterThanOrEqual(1));
    expect(fake.uploads).toEqual([]);
    link.set(true);
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(2));
    expect(fake.uploads).toHaveLength(1);
  });

  it('stops at a refused token and starts again when the session has another', async () => {
    open();
    const fake = fakeSwitch({ token: 'renewed' });
    let token = 'expired';
    const looks = vi.fn(() => token);
    await db.audit.bulkAdd(lines(2));
    start({ link: fakeLink(true), token: looks, fetch: fake.fetch });
    await vi.waitFor(() => expect(fake.uploads).toHaveLength(1));
    const before = looks.mock.calls.length;
    await db.audit.add(lines(1, 3)[0]!);
    await vi.waitFor(() => expect(looks.mock.calls.length).toBeGreaterThan(before + 1));
    expect(fake.uploads.map((upload) => upload.token)).toEqual(['expired']);
    token = 'renewed';
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3));
    expect(fake.uploads.map((upload) => upload.token)).toEqual(['expired', 'renewed']);
  });

  it('sends nothing while nobody is signed in', async () => {
    open();
    const fake = fakeSwitch();
    const session: { token?: string } = {};
    const looks = vi.fn(() => session.token);
    await db.audit.bulkAdd(lines(1));
    start({ link: fakeLink(true), token: looks, fetch: fake.fetch });
    await vi.waitFor(() => expect(looks.mock.calls.length).toBeGreaterThanOrEqual(2));
    expect(fake.uploads).toEqual([]);
    session.token = 't1';
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(1));
  });

  it('leaves out lines an older version wrote before the chain', async () => {
    const name = `audit-upload-legacy-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table('audit').bulkAdd(lines(2));
    v1.close();
    open(name);
    const fake = fakeSwitch();
    await db.audit.bulkAdd(lines(2, 3));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(4));
    expect(fake.chains.get(TERMINAL)!.map((record) => record.seq)).toEqual([3, 4]);
  });

  it('sends lines stamped with another terminal id in their own upload', async () => {
    open();
    const fake = fakeSwitch({ chainOf: () => 'one device' });
    who.terminal = 'unknown-terminal';
    await db.audit.add(lines(1)[0]!);
    who.terminal = TERMINAL;
    await db.audit.bulkAdd(lines(2, 2));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(3));
    expect(fake.uploads.map(({ upload }) => [upload.terminal, upload.records.map((record) => record.seq)])).toEqual([
      ['unknown-terminal', [1]],
      [TERMINAL, [2, 3]],
    ]);
  });

  it('shows a refusal that persists, and logs it for IT without any CJI', async () => {
    open();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await db.audit.bulkAdd([...lines(2), { ...lines(1, 3)[0]!, subject: 'PLATE 4TRN123' }]);
    // A switch that keeps refusing the chain, whatever is sent.
    const seen: Array<{ status: number; error: string } | undefined> = [];
    const refusing = async () => new Response(JSON.stringify(chainRefusal(1, 'record 1 does not chain')), { status: 409 });
    start({ link: fakeLink(true), token: () => 't1', fetch: refusing as typeof fetch, onRefusal: (refusal) => seen.push(refusal && { status: refusal.status, error: refusal.error }) });
    await vi.waitFor(() => expect(seen).toEqual([{ status: 409, error: 'chain' }]));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('HTTP 409 chain'));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('4TRN123');
    warn.mockRestore();
  });

  it('sends again from where the switch expects when it holds less than was marked uploaded', async () => {
    open();
    const fake = fakeSwitch();
    await db.audit.bulkAdd(lines(5));
    start({ link: fakeLink(true), token: () => 't1', fetch: fake.fetch });
    await vi.waitFor(async () => expect(await uploadedSeq(db)).toBe(5));
    // The switch lost records 4 and 5 (restored from a backup): it expects 4 next.
    fake.chains.set(TERMINAL, fake.chains.get(TERMINAL)!.slice(0, 3));
    const resumed: number[] = [];
    const lost = async (url: string | URL | Request, init?: RequestInit) => {
      const upload = AuditUpload.parse(JSON.parse(String(init?.body)));
      resumed.push(upload.records[0]!.seq);
      const held = fake.chains.get(TERMINAL)!;
      if (upload.records[0]!.seq !== held.at(-1)!.seq + 1) return new Response(JSON.stringify(chainRefusal(upload.records[0]!.seq, 'gap', held.at(-1))), { status: 409 });
      return fake.fetch(url, init);
    };
    stops.splice(0).forEach((stop) => stop());
    await db.audit.add(lines(1, 6)[0]!);
    start({ link: fakeLink(true), token: () => 't1', fetch: lost as typeof fetch });
    await vi.waitFor(async () => expect(fake.chains.get(TERMINAL)!.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6]));
    expect(resumed).toEqual([6, 4]);
    expect(verifyChain(fake.chains.get(TERMINAL)!)).toMatchObject({ ok: true });
  });
});
