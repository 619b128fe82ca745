// The intake's writer, in a worker of its own: a row the page sealed and stamped is committed here, where no
// frame or garbage collection of the page's main thread holds the result back. It never holds the data key.
// It also commits the officer's acknowledgements of alerts, which hold no CJI, for the same reason.
import { acknowledgementsDatabase, openAcknowledgements, putAcknowledgement } from '../alerts/acknowledgement-store.ts';
import type { IntakeRecord } from '../db/database.ts';
import { HeldConnections } from '../db/held-connections.ts';
import type { AcknowledgementRequest, IntakeReply, IntakeRequest } from './intake-writer.ts';
import { encodeRow, journalFolder, queryFileName } from './journal-files.ts';

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
  flush(): void;
  close(): void;
}
type WorkerFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };

const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();

/**
 * The row's copy in the queue journal (queue-journal.ts), a file of its own outside IndexedDB, flushed to disk
 * like the commit: what the page reads back should Chromium delete the database it judged corrupt after a crash.
 * Written through a sync access handle, which only a worker has: one write and one flush, no copy of the file.
 */
async function journal(database: string, row: IntakeRecord): Promise<number> {
  let folder = folders.get(database);
  if (!folder) {
    folder = journalFolder(database);
    folders.set(database, folder);
    // A folder that could not be opened is asked for again at the next write.
    folder.catch(() => folders.delete(database));
  }
  const file = (await (await folder).getFileHandle(queryFileName(row.id), { create: true })) as WorkerFileHandle;
  const handle = await file.createSyncAccessHandle();
  try {
    handle.write(encodeRow(row), { at: 0 });
    handle.flush();
    return performance.timeOrigin + performance.now();
  } finally {
    handle.close();
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
  // Both at once: the file's flush and the commit's run on different threads, and the query is queued once both
  // are on disk (the later time is the one reported). A journal that cannot be written does not fail the query
  // (IndexedDB has it); the page is told why, once.
  const journaled = request.journal
    ? journal(request.database, request.row).then(
        (flushedAt) => ({ flushedAt }),
        (error: unknown) => ({ failed: `The queue journal could not be written: ${(error as Error).message}` }),
      )
    : undefined;
  const committedAt = await commitIntake(request);
  const written = await journaled;
  if (written && 'failed' in written) return { committedAt, journal: written.failed };
  return { committedAt: Math.max(committedAt, written?.flushedAt ?? 0) };
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

self.onmessage = (event: MessageEvent<IntakeRequest | AcknowledgementRequest>) => {
  const { n } = event.data;
  write(event.data).then(
    (written): void => postMessage({ n, ok: true, ...written } satisfies IntakeReply),
    (error: unknown): void => {
      const { name, message } = error instanceof Error || error instanceof DOMException ? error : new Error(String(error));
      postMessage({ n, ok: false, name, message } satisfies IntakeReply);
    },
  );
};
