// The intake's writer, in a worker of its own: a row the page sealed and stamped is committed here, where no
// frame or garbage collection of the page's main thread holds the result back. It never holds the data key.
// It also commits the officer's acknowledgements of alerts, which hold no CJI, for the same reason.
import { acknowledgementsDatabase, openAcknowledgements, putAcknowledgement } from '../alerts/acknowledgement-store.ts';
import type { IntakeRecord } from '../db/database.ts';
import { HeldConnections } from '../db/held-connections.ts';
import type { AcknowledgementRequest, IntakeReply, IntakeRequest, JournalReady, JournalTrouble } from './intake-writer.ts';
import { encodeRow, journalFolder, queryFileName, spareFileName } from './journal-files.ts';

/** One connection per database, let go when the page upgrades it. */
const connections = new HeldConnections();

/** The terminal's database, at whatever version the page made it. */
function openTerminal(name: string): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The worker-only half of a file handle (lib.webworker's), which the renderer's DOM typings leave out. */
interface SyncAccessHandle {
  write(buffer: BufferSource, options?: { at?: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
type WorkerFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle>; move(name: string): Promise<void>; remove(): Promise<void> };

/** A journal file made and opened ahead, for the next query entered (journal-files.ts, SPARE_FILE_PREFIX). */
interface Spare {
  file: WorkerFileHandle;
  handle: SyncAccessHandle;
}

/**
 * The room a spare is given when it is made. A write that grows a file first asks the browser for the quota, a
 * round trip to a process busy with the commit: 0.9 ms at the median and 4.8 at p99 here, against 0.1 and 0.3 for
 * the same write into room already there. A row is 1-2 KB; a longer one still goes in, paying the round trip.
 */
const SPARE_BYTES = 8_192;

const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();
const spares = new Map<string, Promise<Spare>>();
/** Journal files written since the last reply: named for their rows and replaced once the reply is on its way. */
const toSettle: Array<{ database: string; spare: Spare; id: string; length: number; discard?: boolean }> = [];

function folderOf(database: string): Promise<FileSystemDirectoryHandle> {
  let folder = folders.get(database);
  if (!folder) {
    folder = journalFolder(database);
    folders.set(database, folder);
    // A folder that could not be opened is asked for again at the next write.
    folder.catch(() => folders.delete(database));
  }
  return folder;
}

/** A new journal file, created, opened and given its room. */
async function makeSpare(database: string): Promise<Spare> {
  const file = (await (await folderOf(database)).getFileHandle(spareFileName(), { create: true })) as WorkerFileHandle;
  const handle = await file.createSyncAccessHandle();
  handle.truncate(SPARE_BYTES);
  return { file, handle };
}

/** Makes the next query's file ready, unless one already is. One that cannot be made is made at the next query. */
function readySpare(database: string): void {
  if (spares.has(database)) return;
  const made = makeSpare(database);
  spares.set(database, made);
  made.catch(() => {
    if (spares.get(database) === made) spares.delete(database);
  });
}

/** The file made ready for this query, or one made now; taken at once, so two queries never share one. */
function takeSpare(database: string): Promise<Spare> {
  const spare = spares.get(database) ?? makeSpare(database);
  spares.delete(database);
  return spare;
}

/**
 * The row's copy in the queue journal (queue-journal.ts), a file of its own outside IndexedDB: what the page reads
 * back should Chromium delete the database it judged corrupt after a crash. Written through a sync access handle,
 * which only a worker has, into a file made ready before Enter: the write goes straight to the file, so once it
 * returns the copy is the operating system's and outlasts any crash of the browser (the failure it is kept for).
 * Its flush to disk, the file's naming and the next one's making come after the reply: a second flush beside the
 * commit's took Enter to queued from 4.3 to 6.6 ms at the median (docs/benchmarks.md), and a power cut in the
 * milliseconds before the flush would also have to leave Chromium judging the database corrupt to cost a query.
 */
async function journal(database: string, row: IntakeRecord): Promise<number> {
  const spare = await takeSpare(database);
  const bytes = encodeRow(row);
  try {
    spare.handle.write(bytes, { at: 0 });
  } catch (error) {
    spare.handle.close();
    throw error;
  }
  toSettle.push({ database, spare, id: row.id, length: bytes.length });
  return performance.timeOrigin + performance.now();
}

/**
 * Trims each file written to its row, flushes it, names it for its row and makes the next one ready: after the
 * reply, off Enter's path. A file that cannot be renamed keeps its spare name and is read by what it holds (with
 * the room after its row, should a crash come first: journal-files.ts reads past it).
 */
async function settleJournal(): Promise<void> {
  for (let each = toSettle.shift(); each; each = toSettle.shift()) {
    if (each.discard) {
      // Its commit failed: the page says the query was not queued, and no copy may bring it back.
      each.spare.handle.close();
      await each.spare.file.remove().catch(() => undefined);
      readySpare(each.database);
      continue;
    }
    try {
      each.spare.handle.truncate(each.length);
      each.spare.handle.flush();
    } catch (error) {
      postMessage({ journalTrouble: `The queue journal could not be flushed to disk: ${(error as Error).message}` } satisfies JournalTrouble);
    }
    each.spare.handle.close();
    await each.spare.file.move(queryFileName(each.id)).catch(() => undefined);
    readySpare(each.database);
  }
}

/**
 * Strict for the intake: 'complete' waits for the write to be flushed to disk, so the query the screen then calls
 * queued survives a power cut or an OS crash. Chromium's default (relaxed) would leave it in the OS's cache.
 * Relaxed for an acknowledgement: one lost in a power cut leaves its alert unacknowledged, and the alert shows
 * again at start, which is the safe way to fail; its audit line is written relaxed too, when it is folded into
 * the alert. Either, once committed, outlasts a crash of the app. An acknowledgement goes to a database of its
 * own (acknowledgement-store.ts), where no answer batch being stored holds it up.
 */
async function write(request: IntakeRequest | AcknowledgementRequest): Promise<{ committedAt: number; journal?: string }> {
  if (request.kind === 'acknowledgement') {
    const name = acknowledgementsDatabase(request.database);
    return { committedAt: await putAcknowledgement(await connections.get(name, openAcknowledgements), request.row, 'relaxed') };
  }
  // Both at once: the journal's write here while the commit runs on the browser's thread; the query is queued once
  // the commit is on disk and the copy written (the later time is the one reported). A journal that cannot be
  // written does not fail the query (IndexedDB has it); the page is told why, once.
  const journaled = request.journal
    ? journal(request.database, request.row).then(
        (writtenAt) => ({ writtenAt }),
        (error: unknown) => ({ failed: `The queue journal could not be written: ${(error as Error).message}` }),
      )
    : undefined;
  const committedAt = await commitIntake(request).catch(async (error: unknown) => {
    await journaled;
    toSettle.filter((each) => each.id === request.row.id).forEach((each) => (each.discard = true));
    throw error;
  });
  const written = await journaled;
  if (written && 'failed' in written) return { committedAt, journal: written.failed };
  return { committedAt: Math.max(committedAt, written?.writtenAt ?? 0) };
}

async function commitIntake(request: IntakeRequest): Promise<number> {
  const db = await connections.get(request.database, openTerminal);
  const tx = db.transaction('intake', 'readwrite', { durability: 'strict' });
  tx.objectStore('intake').put(request.row);
  // Committed now, not once the put's result has come back here: a round trip to the IndexedDB thread saved.
  tx.commit();
  return new Promise((resolve, reject) => {
    // The moment the row is stored, on the clock every page of this browser shares.
    tx.oncomplete = () => resolve(performance.timeOrigin + performance.now());
    tx.onabort = () => reject(tx.error ?? new Error('The write was aborted'));
  });
}

self.onmessage = (event: MessageEvent<IntakeRequest | AcknowledgementRequest | JournalReady>) => {
  if (event.data.kind === 'journal-ready') {
    readySpare(event.data.database);
    return;
  }
  const { n } = event.data;
  write(event.data).then(
    (written): void => {
      postMessage({ n, ok: true, ...written } satisfies IntakeReply);
      void settleJournal();
    },
    (error: unknown): void => {
      const { name, message } = error instanceof Error || error instanceof DOMException ? error : new Error(String(error));
      postMessage({ n, ok: false, name, message } satisfies IntakeReply);
      void settleJournal();
    },
  );
};
