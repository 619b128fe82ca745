// The queue journal read back at start: into a database the browser deleted and made again (a new epoch), never
// into the one it was kept beside; rows that do not open under the key are left out and counted.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { stampIntake } from '../../../src-renderer/db/audit-chain-middleware.ts';
import { type IntakeRecord, openDatabase, type OutriderDb } from '../../../src-renderer/db/database.ts';
import { decodeRow, encodeRow } from '../../../src-renderer/outbox/journal-files.ts';
import { startJournal, tidyJournal } from '../../../src-renderer/outbox/journal-restore.ts';
import { settleIntake } from '../../../src-renderer/outbox/outbox.ts';
import type { JournalHeader, JournalKey } from '../../../src-renderer/outbox/queue-journal.ts';
import { sealFields } from '../../../src-renderer/vault/cji-middleware.ts';

const KEY = crypto.getRandomValues(new Uint8Array(32));
const KEPT: JournalKey = { by: 'browser', raw: 'kept' };
const stamp = () => ({ officer: 'A1234', terminal: 'terminal-1' });

/** A row as the intake's worker writes it, and so as the journal holds it: stamped, sealed, bytes and all. */
function journaled(lic: string, seq: number, key = KEY): IntakeRecord {
  const id = crypto.randomUUID();
  const at = '2026-12-07T10:00:00.000Z';
  const row: IntakeRecord = {
    id,
    query: { kind: 'plate', lic, lis: 'CA' },
    priority: 'routine',
    lane: 2,
    seq,
    status: 'queued',
    attempts: 0,
    askedAt: at,
    enqueued: { at, action: 'query.enqueued', subject: id, outcome: `plate ${lic}` },
  };
  return decodeRow(new TextDecoder().decode(encodeRow(sealFields(key, 'intake', stampIntake(row, stamp)))))!;
}

/** A journal in memory: the rows it holds, and what a start wrote and let go of. */
function memoryJournal(rows: IntakeRecord[]) {
  const journal = {
    held: [...rows],
    header: undefined as JournalHeader | undefined,
    rows: async () => [...journal.held],
    writeHeader: async (header: JournalHeader) => void (journal.header = header),
    keepOnly: async (ids: ReadonlySet<string>) => {
      const before = journal.held.length;
      journal.held = journal.held.filter((row) => ids.has(row.id));
      return before - journal.held.length;
    },
  };
  return journal;
}

const open = (): OutriderDb => openDatabase(`journal-${crypto.randomUUID()}`, async () => KEY, { stamp });

describe('the queue journal at start', () => {
  it('puts back, queued and in entry order, every query a database made again has lost, and says so in the audit trail', async () => {
    const rows = [journaled('4TRN123', 1), journaled('7ABC001', 2), journaled('7ABC002', 3)];
    const journal = memoryJournal(rows);
    const header: JournalHeader = { version: 1, epoch: 'the-deleted-database', terminalId: 'terminal-1', key: KEPT };
    const db = open();
    const started = await startJournal(db, journal, header, { terminalId: 'terminal-1', key: KEPT });
    expect(started).toEqual({ restored: 3, unreadable: 0 });
    expect(await settleIntake(db)).toBe(3);
    const outbox = (await db.outbox.toArray()).sort((a, b) => a.seq - b.seq);
    expect(outbox.map((entry) => [entry.query, entry.status])).toEqual(rows.map((row, i) => [{ kind: 'plate', lic: ['4TRN123', '7ABC001', '7ABC002'][i], lis: 'CA' }, 'queued']));
    const audit = await db.audit.toArray();
    expect(audit.map((line) => line.action)).toEqual(['query.restored', 'query.enqueued', 'query.enqueued', 'query.enqueued']);
    expect(audit[0]).toMatchObject({ subject: '3 queries', officer: 'A1234' });
    // The database now carries the journal's epoch: the next start restores nothing.
    expect((await db.settings.get('journalEpoch'))?.value).toBe('the-deleted-database');
    expect(await startJournal(db, journal, journal.header, { terminalId: 'terminal-1', key: KEPT })).toEqual({ restored: 0, unreadable: 0 });
    expect(await db.outbox.count()).toBe(3);
    expect(await tidyJournal(db, journal)).toBe(0);
    expect(journal.held).toHaveLength(3);
  });

  it('restores nothing into the database it was kept beside, and lets go of copies that database no longer holds', async () => {
    const db = open();
    const first = memoryJournal([]);
    await startJournal(db, first, undefined, { terminalId: 'terminal-1', key: KEPT });
    expect(first.header).toMatchObject({ version: 1, terminalId: 'terminal-1', key: KEPT, epoch: (await db.settings.get('journalEpoch'))?.value });
    // A query purged (or held, or erased) while the journal could not be told: its copy goes at the next start.
    const kept = journaled('4TRN123', 1);
    await db.intake.put({ ...kept, query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, enqueued: { ...kept.enqueued, subject: kept.id, outcome: 'plate' } });
    const journal = memoryJournal([kept, journaled('PURGED1', 2)]);
    expect(await startJournal(db, journal, first.header, { terminalId: 'terminal-1', key: KEPT })).toEqual({ restored: 0, unreadable: 0 });
    expect(await tidyJournal(db, journal)).toBe(1);
    expect(journal.held.map((row) => row.id)).toEqual([kept.id]);
    expect(await db.intake.count()).toBe(1);
  });

  it('leaves out, and counts, rows that do not open under the key loaded: another key, or a row moved from another', async () => {
    const other = crypto.getRandomValues(new Uint8Array(32));
    const good = journaled('4TRN123', 1);
    const moved = { ...journaled('7ABC001', 2), id: crypto.randomUUID() };
    const journal = memoryJournal([good, journaled('7ABC003', 3, other), moved]);
    const db = open();
    const started = await startJournal(db, journal, { version: 1, epoch: 'gone', terminalId: 'terminal-1', key: KEPT }, { terminalId: 'terminal-1', key: KEPT });
    expect(started).toMatchObject({ restored: 1, unreadable: 2 });
    expect((await db.intake.toArray()).map((row) => row.id)).toEqual([good.id]);
  });
});

describe('a journal file', () => {
  it('holds the sealed row byte for byte, and one cut short by a crash, or not a row, reads as none', () => {
    const row = journaled('4TRN123', 1);
    const text = new TextDecoder().decode(encodeRow(row));
    expect(text).not.toContain('4TRN123');
    expect(decodeRow(text)).toEqual(row);
    expect((decodeRow(text)!.query as unknown as { ct: unknown }).ct).toBeInstanceOf(Uint8Array);
    // A spare caught by a crash before it was trimmed: the row, then the zeros of the room it was made with.
    expect(decodeRow(text + '\0'.repeat(8_192 - text.length))).toEqual(row);
    expect(decodeRow(text.slice(0, text.length - 7))).toBeUndefined();
    expect(decodeRow('\0'.repeat(8_192))).toBeUndefined();
    expect(decodeRow('')).toBeUndefined();
    expect(decodeRow('{"id":"x"}')).toBeUndefined();
    expect(decodeRow('null')).toBeUndefined();
  });
});
