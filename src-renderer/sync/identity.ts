// This install's identity on the switch: made once, kept in IndexedDB, sent with every query and stream.
import type { OutriderDb } from '../db/database.ts';

/**
 * The terminal's id, created on first use, or taken up from the queue journal (`recovered`) when the browser
 * deleted the database that held it: a query resent under another id would be refused by the switch. Two windows
 * racing to create it agree: the first write wins.
 */
export async function terminalIdentity(db: OutriderDb, recovered?: string): Promise<string> {
  return db.transaction('rw', db.settings, async () => {
    const held = await db.settings.get('terminalId');
    if (held) return held.value;
    const id = recovered ?? crypto.randomUUID();
    await db.settings.add({ key: 'terminalId', value: id });
    return id;
  });
}

/** Where the event stream resumes: the id of the last event this terminal stored. */
export async function streamCursor(db: OutriderDb): Promise<string | undefined> {
  return (await db.settings.get('streamCursor'))?.value;
}
