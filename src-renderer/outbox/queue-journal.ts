// The queue journal: a second copy of every query entered, one file each in the Origin Private File System,
// outside IndexedDB. After some crashes Chromium finds the terminal's IndexedDB corrupt as it opens it and deletes
// it whole, every queued query with it (docs/soak.md, about one kill in seventy); the next start reads the journal
// back into the queue (journal-restore.ts). The intake's worker writes a query's file beside its commit; this is
// the page's side: the header, reading back, forgetting what the database has let go of, and the page's own write
// when there is no worker.
import { z } from 'zod';
import { stampIntake } from '../db/audit-chain-middleware.ts';
import { type IntakeRecord, type OutriderDb, sealingOf } from '../db/database.ts';
import { sealFields } from '../vault/cji-middleware.ts';
import { decodeRow, encodeRow, isSpareFile, journalFolder, queryFileName, queryIdOfFile } from './journal-files.ts';

/**
 * The data key as the journal keeps it, so rows it holds can be opened after the key's own database is gone: the
 * keychain's wrapping (Electron), or where only the browser profile protects the key (a drill, the browser build),
 * the key itself, which is then no less exposed than it is already (the browser keeps the key that wraps it in
 * the same profile, readable on disk). An agency terminal requires the keychain, so never keeps the second form.
 */
export const JournalKey = z.discriminatedUnion('by', [
  z.object({ by: z.literal('keychain'), sealed: z.string().min(1) }),
  z.object({ by: z.literal('browser'), raw: z.string().min(1) }),
]);
export type JournalKey = z.infer<typeof JournalKey>;

/**
 * What a start needs to carry the queue over a deleted database: which database the journal was kept beside
 * (`epoch`, also stored in that database's settings), the terminal's id on the switch (a resend under another id is
 * refused) and its data key.
 */
export const JournalHeader = z.object({ version: z.literal(1), epoch: z.string().min(1), terminalId: z.string().min(1), key: JournalKey });
export type JournalHeader = z.infer<typeof JournalHeader>;

const HEADER_FILE = 'header.json';

export class QueueJournal {
  /** Why the journal could not be written, the first time it could not; undefined while all is well. */
  trouble: string | undefined;
  /** Told that first reason, for the status line. */
  onTrouble: ((message: string) => void) | undefined;

  private constructor(
    readonly database: string,
    private readonly folder: FileSystemDirectoryHandle,
  ) {}

  /** The journal of `database`, or undefined where this browser has no Origin Private File System. */
  static async open(database: string): Promise<QueueJournal | undefined> {
    if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return undefined;
    return new QueueJournal(database, await journalFolder(database));
  }

  /** The header a start wrote, or undefined for none (a first start) or one that does not read. */
  async header(): Promise<JournalHeader | undefined> {
    const text = await this.#read(HEADER_FILE);
    if (text === undefined) return undefined;
    try {
      const parsed = JournalHeader.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  writeHeader(header: JournalHeader): Promise<void> {
    return this.#write(HEADER_FILE, new TextEncoder().encode(JSON.stringify(header)));
  }

  /** Every row the journal holds, in entry order, once each; a file cut short as it was written is left out. */
  async rows(): Promise<IntakeRecord[]> {
    const rows = new Map<string, IntakeRecord>();
    for await (const name of this.#names()) {
      const row = await this.#rowIn(name);
      if (row) rows.set(row.id, row);
    }
    return [...rows.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The page's own copy of a row, for when the intake's worker cannot write it: written whole or not at all. */
  write(row: IntakeRecord): Promise<void> {
    return this.#write(queryFileName(row.id), encodeRow(row));
  }

  /** Lets go of the copies of `ids`: queries the terminal no longer holds (purged, held for an officer, erased). */
  async forget(ids: Iterable<string>): Promise<void> {
    const gone = new Set(ids);
    if (gone.size === 0) return;
    for (const id of gone) await this.#remove(queryFileName(id));
    // A file a crash caught before it was named for its row is found by what it holds.
    for await (const name of this.#names()) {
      if (!isSpareFile(name)) continue;
      const row = await this.#rowIn(name);
      if (row && gone.has(row.id)) await this.#remove(name);
    }
  }

  /**
   * Lets go of every copy but those of `ids`, what the database held when read, among files last written before
   * `writtenBefore` (epoch ms): a query another window is entering has its file written before its commit, and
   * must not lose it to a read of the database made just before that commit. Empty and spoiled files go too; a
   * file a live worker holds open (its next query's) is passed over.
   */
  async keepOnly(ids: ReadonlySet<string>, writtenBefore = Infinity): Promise<number> {
    let gone = 0;
    for await (const name of this.#names()) {
      const named = queryIdOfFile(name);
      // Most files are named for a row the database holds: kept without being read.
      if (named !== undefined && ids.has(named)) continue;
      const file = await this.#file(name);
      if (!file || file.lastModified >= writtenBefore) continue;
      const row = rowOf(name, await file.text());
      if (row && ids.has(row.id)) continue;
      if (await this.#remove(name)) gone++;
    }
    return gone;
  }

  /** Notes why the journal could not be written (the first reason only) and says so once in the console. */
  noteTrouble(message: string): void {
    if (this.trouble) return;
    this.trouble = message;
    console.error(message);
    this.onTrouble?.(message);
  }

  /** The journal's files: queries' and spares', not the header. */
  async *#names(): AsyncGenerator<string> {
    for await (const name of (this.folder as unknown as { keys(): AsyncIterable<string> }).keys()) if (queryIdOfFile(name) !== undefined || isSpareFile(name)) yield name;
  }

  /** The file, or undefined when it is gone or a worker holds it open (the spare it is about to write). */
  async #file(name: string): Promise<File | undefined> {
    try {
      return await (await this.folder.getFileHandle(name)).getFile();
    } catch (error) {
      if (error instanceof DOMException && PASSED_OVER.has(error.name)) return undefined;
      throw error;
    }
  }

  async #rowIn(name: string): Promise<IntakeRecord | undefined> {
    const file = await this.#file(name);
    return file && rowOf(name, await file.text());
  }

  async #read(name: string): Promise<string | undefined> {
    return (await this.#file(name))?.text();
  }

  /** True once removed; false when it was gone already or is held open. */
  async #remove(name: string): Promise<boolean> {
    try {
      await this.folder.removeEntry(name);
      return true;
    } catch (error) {
      if (error instanceof DOMException && PASSED_OVER.has(error.name)) return false;
      throw error;
    }
  }

  /** A writable stream writes a copy and swaps it in at close: a crash leaves the file as it was, or as written. */
  async #write(name: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    const writable = await (await this.folder.getFileHandle(name, { create: true })).createWritable();
    await writable.write(bytes);
    await writable.close();
  }
}

/** A file gone since it was listed, or held open by a worker's sync access handle. */
const PASSED_OVER = new Set(['NotFoundError', 'NoModificationAllowedError', 'InvalidStateError']);

/** The row a journal file holds: a query's file only the row its name says, a spare whatever row it holds. */
function rowOf(name: string, text: string): IntakeRecord | undefined {
  const row = decodeRow(text);
  return row && (isSpareFile(name) || queryFileName(row.id) === name) ? row : undefined;
}

const journals = new WeakMap<OutriderDb, QueueJournal>();

/** Has every query written to `db` copied into `journal` too (outbox/intake.ts), and every removal let go of. */
export function attachJournal(db: OutriderDb, journal: QueueJournal): void {
  journals.set(db, journal);
}

/** The journal kept beside `db`, if the start attached one. */
export function journalOf(db: OutriderDb): QueueJournal | undefined {
  return journals.get(db);
}

/**
 * Journals rows from the page: a query entered where the intake's worker cannot write it (outbox/intake.ts), and
 * queries released from a hold, each with the audit line a restore would add. Stamped (a stamped row is left as it
 * is) and sealed as the intake's rows are. A journal that fails is noted, never thrown.
 */
export async function journalEntries(db: OutriderDb, rows: IntakeRecord[]): Promise<void> {
  const journal = journalOf(db);
  const sealing = sealingOf(db);
  const key = sealing?.key();
  if (!journal || !sealing || !key) return;
  try {
    for (const row of rows) await journal.write(sealFields(key, 'intake', stampIntake(row, sealing.stamp)));
  } catch (error) {
    journal.noteTrouble(`The queue journal could not be written: ${(error as Error).message}`);
  }
}

/** Lets go of the journal's copies of queries `db` no longer holds; a journal that fails to is noted, never thrown. */
export async function forgetJournaled(db: OutriderDb, ids: Iterable<string>): Promise<void> {
  const journal = journalOf(db);
  await journal?.forget(ids).catch((error: unknown) => journal.noteTrouble(`The queue journal could not let go of queries: ${(error as Error).message}`));
}

/** Lets go of every copy the journal holds: the shift's queries were erased with it. */
export async function forgetAllJournaled(db: OutriderDb): Promise<void> {
  const journal = journalOf(db);
  await journal?.keepOnly(new Set()).catch((error: unknown) => journal.noteTrouble(`The queue journal could not be erased: ${(error as Error).message}`));
}
