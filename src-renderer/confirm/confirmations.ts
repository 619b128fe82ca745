// Requests for hit confirmation (YQ) as the terminal keeps them: asked, asked again when overdue, answered (YR).
import { liveQuery, type Observable } from 'dexie';
import { CONFIRMATION_DUE_MINUTES, type ConfirmationPriority } from '../../src-shared/confirmation.ts';
import type { ConfirmationAnswer } from '../../src-shared/protocol.ts';
import type { Confirmation, OutriderDb } from '../db/database.ts';

export const dueFrom = (priority: ConfirmationPriority, from: Date): string => new Date(from.getTime() + CONFIRMATION_DUE_MINUTES[priority] * 60_000).toISOString();

/** Asks for confirmation of a query's hit. A request already waiting for its answer is kept, not doubled. */
export async function requestConfirmation(db: OutriderDb, queryId: string, priority: ConfirmationPriority, now: Date = new Date()): Promise<Confirmation> {
  return db.transaction('rw', db.confirmations, db.audit, async () => {
    const open = (await db.confirmations.where('queryId').equals(queryId).toArray()).find((request) => request.status === 'requested');
    if (open) return open;
    const request: Confirmation = { id: crypto.randomUUID(), queryId, priority, requestedAt: now.toISOString(), dueAt: dueFrom(priority, now), attempts: 1, status: 'requested' };
    await db.confirmations.add(request);
    await db.audit.add({ at: now.toISOString(), action: 'confirmation.requested', subject: request.id, outcome: `${priority}, for query ${queryId}` });
    return request;
  });
}

/** Requests whose answer is overdue are asked again (NCIC: a second YQ when no YR comes in time). Returns those asked again. */
export async function askAgainOverdue(db: OutriderDb, now: Date = new Date()): Promise<Confirmation[]> {
  const overdueNow = () => db.confirmations.where('dueAt').belowOrEqual(now.toISOString()).filter((request) => request.status === 'requested').toArray();
  // Checked every second: a look first, so the usual answer (nothing overdue) writes nothing and takes no
  // write lock on the audit trail, which every query queued and every answer stored also writes to.
  if ((await overdueNow()).length === 0) return [];
  return db.transaction('rw', db.confirmations, db.audit, async () => {
    const overdue = await overdueNow();
    const again = overdue.map((request) => ({ ...request, attempts: request.attempts + 1, dueAt: dueFrom(request.priority, now), status: 'requested' as const }));
    await db.confirmations.bulkPut(again);
    // Each ask goes to the entering agency as its own YQ: each is audited.
    for (const request of again) {
      await db.audit.add({ at: now.toISOString(), action: 'confirmation.requested', subject: request.id, outcome: `${request.priority}, asked again (attempt ${request.attempts})` });
    }
    return again;
  });
}

/** Stores the agency's YR against the request for that query (inside the caller's transaction, with the stream position). */
export async function recordConfirmationAnswer(db: OutriderDb, answer: ConfirmationAnswer): Promise<void> {
  const requests = await db.confirmations.where('queryId').equals(answer.queryId).toArray();
  const request = requests.find((r) => r.status === 'requested') ?? requests.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  if (!request) return;
  await db.confirmations.put({
    ...request,
    status: answer.confirmed ? 'confirmed' : 'not_confirmed',
    answer: { at: answer.answeredAt, agency: answer.agency, text: answer.text, confirmed: answer.confirmed },
  });
}

/** The latest request for one query's hit, as it changes. */
export function confirmationOf(db: OutriderDb, queryId: string): Observable<Confirmation | undefined> {
  return liveQuery(async () => {
    const requests = await db.confirmations.where('queryId').equals(queryId).toArray();
    return requests.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  });
}

/** The database the alert dialog's confirmation buttons use; set by the terminal when it starts. */
let provided: OutriderDb | undefined;
export function provideConfirmationDb(db: OutriderDb): () => void {
  provided = db;
  return () => {
    if (provided === db) provided = undefined;
  };
}
export const confirmationDb = (): OutriderDb | undefined => provided;
