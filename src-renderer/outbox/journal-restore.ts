// At start: the queue journal read back into a database the browser deleted and made again empty, and then kept
// beside the database as it is (queue-journal.ts says why there is a journal at all).
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { IntakeRecord, OutriderDb } from '../db/database.ts';
import { sealingOf } from '../db/database.ts';
import { SEALED_FIELDS } from '../vault/cji-middleware.ts';
import { open, type Sealed } from '../vault/sealing.ts';
import type { JournalHeader, JournalKey, QueueJournal } from './queue-journal.ts';

/** What a start did with the journal. */
export interface JournalStart {
  /** Queries the database had lost, put back into its intake to be sent again (a replay at the switch for any it ran). */
  restored: number;
  /** Queries the journal held that do not open under the key now loaded (another keychain, or a damaged file). */
  unreadable: number;
}

/**
 * Restores what the database lost, and writes the header: this database (its epoch), this terminal and its key. A
 * database whose epoch is not the journal's is one the browser made again: every query the journal holds that it
 * lacks is put back as it was entered, queued, and the audit trail says so. Copies the database no longer holds are
 * let go of later (tidyJournal), off the start.
 */
export async function startJournal(db: OutriderDb, journal: Pick<QueueJournal, 'rows' | 'writeHeader'>, header: JournalHeader | undefined, now: { terminalId: string; key: JournalKey }): Promise<JournalStart> {
  const epoch = (await db.settings.get('journalEpoch'))?.value;
  const replaced = header !== undefined && epoch !== header.epoch;
  const { restored, unreadable } = replaced ? await restore(db, await journal.rows()) : { restored: 0, unreadable: 0 };
  const kept = header?.epoch ?? epoch ?? crypto.randomUUID();
  if (epoch !== kept) await db.settings.put({ key: 'journalEpoch', value: kept });
  const next: JournalHeader = { version: 1, epoch: kept, terminalId: now.terminalId, key: now.key };
  if (JSON.stringify(next) !== JSON.stringify(header)) await journal.writeHeader(next);
  return { restored, unreadable };
}

/**
 * Lets go of copies of queries the database no longer holds (purged, held for an officer, erased at a shift's end
 * while the journal could not be told): how many. Reading every key of a shift's outbox took start-up with 10,000
 * stored answers from 0.56 to 0.72 s, so the start runs this after it (terminal-start.svelte.ts).
 */
export async function tidyJournal(db: OutriderDb, journal: Pick<QueueJournal, 'keepOnly'>): Promise<number> {
  // A file written in the last moments may be a query another window is committing now: it stays until next time.
  const settledBefore = Date.now() - FIELD_CONFIG.journalSettleMs;
  const held = new Set<string>([...(await db.outbox.toCollection().primaryKeys()), ...(await db.intake.toCollection().primaryKeys())]);
  return journal.keepOnly(held, settledBefore);
}

async function restore(db: OutriderDb, rows: IntakeRecord[]): Promise<{ restored: number; unreadable: number }> {
  const key = sealingOf(db)?.key();
  if (!key || rows.length === 0) return { restored: 0, unreadable: rows.length };
  const ids = rows.map((row) => row.id);
  const [inOutbox, inIntake] = await Promise.all([db.outbox.bulkGet(ids), db.intake.bulkGet(ids)]);
  const missing = rows.filter((_, i) => inOutbox[i] === undefined && inIntake[i] === undefined);
  const opening = missing.filter((row) => opens(key, row));
  if (opening.length > 0) {
    await putSealed(db, opening);
    await db.audit.add({
      at: new Date().toISOString(),
      action: 'query.restored',
      subject: `${opening.length} ${opening.length === 1 ? 'query' : 'queries'}`,
      outcome: "restored from the queue journal: the browser had deleted the terminal's database, found corrupt as it opened",
    });
  }
  return { restored: opening.length, unreadable: missing.length - opening.length };
}

/** True when every sealed field of the row opens under `key`: sealed by this terminal, for this row, and whole. */
function opens(key: Uint8Array, row: IntakeRecord): boolean {
  try {
    for (const field of SEALED_FIELDS.intake!) {
      const value = (row as unknown as Record<string, unknown>)[field];
      if (field === 'query' || value !== undefined) open(key, 'intake', field, row.id, value as Sealed);
    }
    return true;
  } catch {
    return false;
  }
}

/** The rows as the journal holds them, sealed already: put past the middlewares, which would seal them again. */
async function putSealed(db: OutriderDb, rows: IntakeRecord[]): Promise<void> {
  await db.open();
  const tx = db.backendDB().transaction('intake', 'readwrite', { durability: 'strict' });
  const store = tx.objectStore('intake');
  for (const row of rows) store.put(row);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('Restoring the queue journal was aborted'));
  });
}
