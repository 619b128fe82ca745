// Where the queue journal keeps its files, and how a row is written to one: read by the page (queue-journal.ts)
// and written by the intake's worker (intake-worker.ts), so both name and encode them here.
import type { IntakeRecord } from '../db/database.ts';
import { fromBase64, toBase64 } from '../vault/base64.ts';

/** The journal's folder in the Origin Private File System: one folder of its own per terminal database. */
export const JOURNAL_FOLDER = 'outrider-journal';

/** Each query's file: `q-<row id>.json`, its intake row as sealed for IndexedDB. */
export const QUERY_FILE_PREFIX = 'q-';
const FILE_SUFFIX = '.json';

/**
 * A file the worker made ready before the query it will hold was entered (`s-<random>.json`): creating a file and
 * opening it cost about 4 ms here, writing and flushing an open one under 1. It is named for its row once written;
 * one a crash caught before that holds its row all the same, and is read by what it holds. Empty, it holds none.
 */
export const SPARE_FILE_PREFIX = 's-';

export const queryFileName = (id: string): string => `${QUERY_FILE_PREFIX}${id}${FILE_SUFFIX}`;
export const spareFileName = (): string => `${SPARE_FILE_PREFIX}${crypto.randomUUID()}${FILE_SUFFIX}`;

/** The row id a query's file holds by its name, or undefined for any other file of the folder. */
export function queryIdOfFile(name: string): string | undefined {
  return name.startsWith(QUERY_FILE_PREFIX) && name.endsWith(FILE_SUFFIX) ? name.slice(QUERY_FILE_PREFIX.length, -FILE_SUFFIX.length) : undefined;
}

export const isSpareFile = (name: string): boolean => name.startsWith(SPARE_FILE_PREFIX) && name.endsWith(FILE_SUFFIX);

/** The folder that journals database `database`, made at first use. */
export async function journalFolder(database: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const journals = await root.getDirectoryHandle(JOURNAL_FOLDER, { create: true });
  return journals.getDirectoryHandle(database, { create: true });
}

/** A sealed row's bytes (its nonces and ciphertexts) as JSON can carry them, and back. */
const BYTES = '$bytes';

export function encodeRow(row: IntakeRecord): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(row, (_key, value: unknown) => (value instanceof Uint8Array ? { [BYTES]: toBase64(value) } : value));
  return new TextEncoder().encode(json);
}

/**
 * The row a file holds, or undefined when it is not one (cut short by a crash as it was written, or not ours). The
 * room a spare was made with (zeros) may follow the row, should a crash have come before it was trimmed.
 */
export function decodeRow(text: string): IntakeRecord | undefined {
  try {
    const row = JSON.parse(text.replace(/\0+$/, ''), (_key, value: unknown) => {
      const bytes = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[BYTES] : undefined;
      return typeof bytes === 'string' ? fromBase64(bytes) : value;
    }) as IntakeRecord;
    return typeof row === 'object' && row !== null && typeof row.id === 'string' && typeof row.seq === 'number' ? row : undefined;
  } catch {
    return undefined;
  }
}
