// What sign-in, sign-out and a change of officer do to the terminal's database: who may unlock, which
// queries belong to whom, and what is erased at the end of a shift.
import type { Session } from '../../src-shared/auth.ts';
import { acknowledgementsFor, allAcknowledgements, clearAcknowledgements } from '../alerts/acknowledgement-store.ts';
import { foldAcknowledgementsIn } from '../alerts/alert-center.ts';
import type { AuditEntry, OfficerRecord, OutboxEntry, OutriderDb } from '../db/database.ts';
import { settleIntake } from '../outbox/outbox.ts';
import { forgetAllJournaled, forgetJournaled, journalEntries } from '../outbox/queue-journal.ts';
import { countStatuses } from '../outbox/status-count.ts';
import { forgetOpenedValues } from '../vault/cji-middleware.ts';
import { bundleAuthentic, openBundle, type OfficerSecrets, sealFor } from './secrets.ts';

/** Stored with the entries so an older bundle can still be read by a newer terminal. */
const BUNDLE_VERSION = 1;

/**
 * The officer whose session this terminal holds (signed in and not signed out), if any. Their verifier may
 * be gone (too many wrong passwords): the shift is still theirs until they sign in again or it ends.
 */
export async function sessionHolder(db: OutriderDb): Promise<OfficerRecord | undefined> {
  return (await db.officers.toArray()).find((officer) => officer.session !== undefined);
}

export async function recordSignIn(db: OutriderDb, session: Session, secrets: OfficerSecrets, now: Date): Promise<OfficerRecord> {
  const record: OfficerRecord = {
    id: session.officer.id,
    name: session.officer.name,
    ...(session.officer.unit ? { unit: session.officer.unit } : {}),
    verifier: secrets.verifier,
    session: { token: session.token, signedInAt: session.signedInAt, expiresAt: session.expiresAt },
    holdKey: secrets.holdKey,
    lastSignInAt: now.toISOString(),
  };
  await db.officers.put(record);
  return record;
}

/**
 * One more wrong password at the lock screen, counted in storage so a reload or crash gives no fresh tries.
 * At `limit` the offline verifier is erased: only an online sign-in with password and code opens the shift.
 * Returns the officer as stored now.
 */
export async function countUnlockFailure(db: OutriderDb, officerId: string, limit: number): Promise<OfficerRecord | undefined> {
  return db.transaction('rw', db.officers, async () => {
    const officer = await db.officers.get(officerId);
    if (!officer) return undefined;
    const { verifier, ...rest } = officer;
    const failures = (officer.unlockFailures ?? 0) + 1;
    const counted: OfficerRecord = failures >= limit || !verifier ? { ...rest, unlockFailures: failures } : { ...rest, verifier, unlockFailures: failures };
    await db.officers.put(counted);
    return counted;
  });
}

export async function clearUnlockFailures(db: OutriderDb, officerId: string): Promise<void> {
  await db.officers.update(officerId, { unlockFailures: 0 });
}

export async function storeToken(db: OutriderDb, officerId: string, session: Session): Promise<void> {
  await db.officers.update(officerId, { session: { token: session.token, signedInAt: session.signedInAt, expiresAt: session.expiresAt } });
}

/**
 * Moves the queued queries out of the outbox, sealed to the officer's public key: no other officer's
 * session can send them or read them. Needs no password, so a change of officer after a crash can hold
 * the previous officer's queries too. Only entries still queued when the move commits are moved.
 */
export async function holdQueued(db: OutriderDb, officer: OfficerRecord, now: Date): Promise<number> {
  const holdKey = officer.holdKey;
  // A hold key from before bundles were authenticated gets its bundle key at the officer's next sign-in.
  if (!holdKey?.macKey) return 0;
  // A query entered a moment ago may not have joined the outbox yet: it is held with the rest.
  await settleIntake(db);
  const queued = (await db.outbox.where('status').anyOf('queued', 'sending').toArray()).sort((a, b) => a.seq - b.seq);
  if (queued.length === 0) return 0;
  // Sealing awaits WebCrypto, which would end an IndexedDB transaction early: seal first, move after.
  const bundle = await sealFor({ ...holdKey, macKey: holdKey.macKey }, officer.id, JSON.stringify({ version: BUNDLE_VERSION, entries: queued }));
  const held = await db.transaction('rw', db.outbox, db.held, db.audit, async () => {
    const still = await db.outbox.bulkGet(queued.map((entry) => entry.id));
    if (still.some((entry) => !entry || (entry.status !== 'queued' && entry.status !== 'sending'))) {
      throw new Error('The queue changed while it was being held; try signing out again');
    }
    await db.outbox.bulkDelete(queued.map((entry) => entry.id));
    const earlier = await db.held.get(officer.id);
    await db.held.put({
      officerId: officer.id,
      count: (earlier?.count ?? 0) + queued.length,
      heldAt: now.toISOString(),
      bundles: [...(earlier?.bundles ?? []), bundle],
    });
    for (const entry of queued) {
      await db.audit.add({ at: now.toISOString(), action: 'query.held', subject: entry.id, outcome: `held for ${officer.id} at sign-out` });
    }
    return queued.length;
  });
  // Held, they are the officer's alone: no copy stays in the queue journal, which the terminal's key opens.
  await forgetJournaled(db, queued.map((entry) => entry.id));
  return held;
}

/** What a release came to: queries back in the queue, and held bundles refused as not held here for this officer. */
export interface Release {
  released: number;
  refused: number;
}

/**
 * At the officer's next sign-in: their held queries go back in the queue, same ids, so none is sent twice.
 * A bundle that does not carry this officer's MAC (planted by someone who could write the database, or
 * altered) is refused and audited: nothing in it is sent under the officer's name.
 */
export async function releaseHeld(db: OutriderDb, officerId: string, secrets: Pick<OfficerSecrets, 'privateKey' | 'holdKey'>, now: Date): Promise<Release> {
  const held = await db.held.get(officerId);
  const { privateKey } = secrets;
  const macKey = secrets.holdKey.macKey;
  if (!held || !privateKey || !macKey) return { released: 0, refused: 0 };
  const entries: OutboxEntry[] = [];
  let refused = 0;
  for (const bundle of held.bundles) {
    const opened = (await bundleAuthentic(macKey, officerId, bundle)) ? await openBundle(privateKey, bundle).catch(() => undefined) : undefined;
    if (opened === undefined) {
      refused++;
      continue;
    }
    // An entry caught mid-send at the hold is sent again under its same key: the switch answers it once.
    entries.push(...(JSON.parse(opened) as { version: number; entries: OutboxEntry[] }).entries.map((entry) => ({ ...entry, status: 'queued' as const })));
  }
  const line = (entry: OutboxEntry): AuditEntry => ({ at: now.toISOString(), action: 'query.released', subject: entry.id, outcome: `back in the queue for ${officerId}` });
  const release = await db.transaction('rw', db.outbox, db.held, db.audit, async () => {
    const present = await db.outbox.bulkGet(entries.map((entry) => entry.id));
    const back = entries.filter((_, index) => present[index] === undefined);
    await db.outbox.bulkAdd(back);
    await db.held.delete(officerId);
    for (const entry of back) await db.audit.add(line(entry));
    if (refused > 0) {
      await db.audit.add({ at: now.toISOString(), action: 'query.hold_refused', subject: officerId, outcome: `${refused} held bundle(s) not authenticated for ${officerId}: refused, not sent` });
    }
    return { released: back.length, refused, back };
  });
  // Back in the queue, they are journaled again, as queries just entered are: their release is the line a restore adds.
  await journalEntries(db, release.back.map((entry) => ({ ...entry, enqueued: line(entry) })));
  return { released: release.released, refused: release.refused };
}

/** The officer chose to discard what was still queued: each discarded query is audited. */
export async function discardQueued(db: OutriderDb, officerId: string, now: Date): Promise<number> {
  await settleIntake(db);
  const discarded = await db.transaction('rw', db.outbox, db.audit, async () => {
    const queued = await db.outbox.where('status').anyOf('queued', 'sending').toArray();
    await db.outbox.bulkDelete(queued.map((entry) => entry.id));
    for (const entry of queued) {
      await db.audit.add({ at: now.toISOString(), action: 'query.discarded', subject: entry.id, outcome: `discarded by ${officerId} at sign-out, confirmed` });
    }
    return queued.map((entry) => entry.id);
  });
  await forgetJournaled(db, discarded);
  return discarded.length;
}

/** How many queries are still queued (or mid-send): what sign-out must ask about. */
export async function queuedCount(db: OutriderDb): Promise<number> {
  await settleIntake(db);
  return countStatuses(db, ['queued', 'sending']);
}

/**
 * End of shift: every cached CJI table is emptied (answers, alerts, BOLOs, confirmations, the hotlist and
 * the rest of the outbox; an acknowledgement not yet folded in is written to the trail first), and the officer's authenticators (offline verifier, switch token) erased. The
 * officer's key pair stays only while queries are held for them. The audit trail stays: it is uploaded.
 */
export async function endShift(db: OutriderDb, officerId: string, now: Date, outcome: string): Promise<void> {
  const tables = [db.outbox, db.intake, db.answers, db.alerts, db.acknowledgements, db.bolos, db.confirmations, db.hotlist, db.settings, db.officers, db.held, db.audit];
  // Acknowledgements live in a database of their own, read before the transaction (which may await only its own).
  const acknowledgements = await acknowledgementsFor(db.name);
  const stored = await allAcknowledgements(acknowledgements);
  await db.transaction('rw', tables, async () => {
    // An acknowledgement not yet folded into its alert reaches the trail now, before the alert is erased.
    await foldAcknowledgementsIn(db, stored);
    await Promise.all([db.outbox.clear(), db.intake.clear(), db.answers.clear(), db.alerts.clear(), db.bolos.clear(), db.confirmations.clear(), db.hotlist.clear()]);
    await db.settings.bulkDelete(['hotlistVersion', 'hotlistGeneratedAt', 'hotlistFetchedAt']);
    const held = await db.held.get(officerId);
    if (held) await db.officers.update(officerId, { verifier: undefined, session: undefined });
    else await db.officers.delete(officerId);
    await db.audit.add({ at: now.toISOString(), action: 'session.signout', subject: officerId, outcome });
  });
  await clearAcknowledgements(acknowledgements);
  await forgetAllJournaled(db);
  // The answers, alerts and queries just erased must not outlive the shift in the opened-values cache either.
  forgetOpenedValues();
}
