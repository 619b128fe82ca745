// The terminal's IndexedDB (Dexie): outbox, answers, alerts and audit. Indexes hold no CJI.
import type { AlertDraft } from '../alerts/classify.ts';
import { Dexie, type EntityTable, type Table, type Transaction } from 'dexie';
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import type { AnswerPart, Bolo, Priority, Source } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import type { Where } from '../../src-shared/where.ts';
import { cjiMiddleware, type KeyHolder, sealStoredRows } from '../vault/cji-middleware.ts';
import { auditChainMiddleware, type AuditStamp, UNKNOWN_TERMINAL } from './audit-chain-middleware.ts';
import { SCHEMA_V1, SCHEMA_V2 } from './schema-history.ts';

/**
 * queued -> sending (attempt n) -> delivered (the switch has it) -> answered; or failed with a reason;
 * or cancelled by the officer before it was sent.
 */
export type OutboxStatus = 'queued' | 'sending' | 'delivered' | 'answered' | 'failed' | 'cancelled';

export interface OutboxEntry {
  /** A UUID made at entry; also the Idempotency-Key, so a resend can never execute twice. */
  id: string;
  query: Query;
  priority: Priority;
  /** Lane rank for ordering: 0 emergency, 1 officer safety, 2 routine. */
  lane: number;
  /** Entry order within the device, for first-in-first-out within a lane. */
  seq: number;
  status: OutboxStatus;
  attempts: number;
  askedAt: string;
  sentAt?: string;
  answeredAt?: string;
  /** Why the last attempt did not get an answer, in words an officer can read. */
  lastError?: string;
  /** The sources the switch said will answer (from its 202): the ones not yet in the answer are still to come. */
  awaiting?: Source[];
  /**
   * Where the car was at Enter (sealed at rest), stamped as the query is written to the intake: the fix, or no fix
   * and why. Absent only for a query entered before positions were recorded, or with no GPS view at all (tests).
   */
  where?: Where;
}

/** The answer as it arrives: a part per source, stored as each comes in; `complete` once every source has answered. */
export interface StoredAnswer {
  queryId: string;
  switchQueryId: string;
  receivedAt: string;
  parts: AnswerPart[];
  complete: boolean;
  askedAt: string;
  sentAt: string;
  /** When the first part arrived: the moment the officer could first know. */
  answeredAt: string;
  completedAt?: string;
  /** Asked longer ago than the late threshold: the officer may have moved on from that stop. */
  late: boolean;
}

/** An alert as stored: what classification drafted, plus which query, when, and whether acknowledged. */
export interface AlertRecord extends AlertDraft {
  id: string;
  queryId: string;
  askedAt: string;
  answeredAt: string;
  late: boolean;
  /** 0 until acknowledged (IndexedDB cannot index null), then the epoch millisecond of acknowledgement. */
  acknowledgedAt: number;
}

/**
 * An officer's acknowledgement of an alert, kept apart from the alerts until it is folded into its alert with its
 * audit line (alerts/alert-center.ts). Stored in a database of its own (alerts/acknowledgement-store.ts), where no
 * answer batch being stored holds it up; this database's table of that name keeps only what an older build left,
 * folded in at the next start. No CJI.
 */
export interface AcknowledgementRecord {
  /** The alert's id. */
  id: string;
  queryId: string;
  /** The alert's rank and severity when acknowledged: raised since, the alert shows again. */
  rank: number;
  severity: AlertSeverity;
  /** The epoch millisecond of the key. */
  at: number;
}

/** A BOLO as this terminal received it. */
export interface StoredBolo extends Bolo {
  receivedAt: string;
}

/**
 * A query just entered, before it joins the outbox: the entry and its audit line, committed together in a
 * store no view reads, so entering a query never waits behind a view reading the outbox. The outbox takes it
 * in (outbox.ts, settleIntake) a moment later, or at the next start after a crash.
 */
export interface IntakeRecord extends OutboxEntry {
  /** The 'query.enqueued' line, stamped with the officer as it is written; chained when the entry joins the outbox. */
  enqueued: AuditEntry;
}

/** Small values the terminal keeps: its identity on the switch, and where it is in the event stream. */
export interface Setting {
  key: 'terminalId' | 'streamCursor' | 'hotlistVersion' | 'hotlistGeneratedAt' | 'hotlistFetchedAt' | 'auditUploadedSeq' | 'retentionPurgedAt' | 'rowsSealedAtVersion' | 'journalEpoch';
  value: string;
}

/**
 * The cached hotlist, stored in chunks of sorted plates ("CA:4TRN123") so a million plates load in a few reads.
 * Rows from JOURNAL_FIRST_ID up are deltas not yet folded into the chunks: `plates` added, `removed` taken out.
 */
export interface HotlistChunk {
  id: number;
  plates: string[];
  removed?: string[];
}

/** A request for confirmation (YQ) of a hit with the entering agency, and its answer (YR) when it comes. */
export interface Confirmation {
  id: string;
  /** The outbox entry whose hit is being confirmed. */
  queryId: string;
  priority: 'urgent' | 'routine';
  requestedAt: string;
  /** When the answer is due (urgent: 10 minutes, routine: 1 hour); asked again once past it. */
  dueAt: string;
  attempts: number;
  status: 'requested' | 'confirmed' | 'not_confirmed' | 'overdue';
  answer?: { at: string; agency: string; text: string; confirmed: boolean };
}

export type AuditAction =
  | 'query.enqueued'
  | 'query.answered'
  | 'query.failed'
  | 'query.cancelled'
  | 'query.held'
  | 'query.released'
  | 'query.discarded'
  | 'query.hold_refused'
  | 'query.restored'
  | 'alert.raised'
  | 'alert.acknowledged'
  | 'bolo.received'
  | 'confirmation.requested'
  | 'session.signin'
  | 'session.signin_failed'
  | 'session.unlock'
  | 'session.unlock_failed'
  | 'session.lock'
  | 'session.signout'
  | 'session.expired'
  | 'retention.purged'
  | 'audit.chain_restarted';

/**
 * One audit line. Callers write what happened (`at`, `action`, `subject`, `outcome`); the audit chain
 * (db/audit-chain-middleware.ts) stamps who (`officer`), on which terminal (`terminal`) and where the car was
 * (`where`, unless the line brings its own: a query's carries the fix at Enter), rounds `at` to hundredths,
 * and links it to the line before by `prev` and `hash` (see src-shared/audit-chain.ts).
 */
export interface AuditEntry {
  seq?: number;
  at: string;
  action: AuditAction;
  subject: string;
  outcome: string;
  officer?: string;
  terminal?: string;
  /** Sealed at rest. Absent on lines written before positions were recorded: they chain as they always did. */
  where?: Where;
  prev?: string;
  hash?: string;
}

/**
 * An officer who has signed in online on this terminal. The verifier lets them unlock offline; it and
 * the session token are authenticators, erased at sign-out. The key pair stays while queries are held:
 * queries held for the officer are sealed to the public key, which only their password can open.
 */
export interface OfficerRecord {
  id: string;
  name: string;
  unit?: string;
  /** PBKDF2-SHA-256 of the password: salt and derived bits (base64), and its iteration count. Absent once signed out. */
  verifier?: { salt: string; hash: string; iterations: number };
  /** The switch session (sealed at rest). Absent once signed out. */
  session?: { token: string; signedInAt: string; expiresAt: string };
  /**
   * ECDH P-256 public key (SPKI, base64) and the private key wrapped under the key derived from the password;
   * `macKey`, derived from the password too, authenticates held bundles. Sealed at rest: the wrapped key would
   * let a thief test password guesses offline.
   */
  holdKey?: { publicKey: string; wrappedPrivateKey: string; salt: string; iv: string; iterations: number; macKey?: string };
  /** Wrong passwords at the lock screen since the last unlock or sign-in (sealed at rest): a reload does not reset it. */
  unlockFailures?: number;
  lastSignInAt: string;
}

/** Queries an officer left queued at sign-out, sealed for them alone until they sign in again. */
export interface HeldQueries {
  officerId: string;
  count: number;
  heldAt: string;
  /**
   * Each hold's outbox entries, AES-GCM under a key agreed (ECDH P-256) between a one-time key pair and the
   * officer's public key: anyone can hold queries for an officer, only the officer's password opens them.
   * `mac` (HMAC-SHA-256 under the officer's bundle key) shows the bundle was held here: others are refused.
   */
  bundles: Array<{ ephemeralKey: string; iv: string; data: string; mac?: string }>;
}

export type OutriderDb = Dexie & {
  outbox: EntityTable<OutboxEntry, 'id'>;
  answers: EntityTable<StoredAnswer, 'queryId'>;
  alerts: EntityTable<AlertRecord, 'id'>;
  audit: EntityTable<AuditEntry, 'seq'>;
  settings: EntityTable<Setting, 'key'>;
  bolos: EntityTable<StoredBolo, 'id'>;
  hotlist: EntityTable<HotlistChunk, 'id'>;
  confirmations: EntityTable<Confirmation, 'id'>;
  officers: EntityTable<OfficerRecord, 'id'>;
  held: EntityTable<HeldQueries, 'officerId'>;
  intake: EntityTable<IntakeRecord, 'id'>;
  acknowledgements: EntityTable<AcknowledgementRecord, 'id'>;
};

export const DATABASE_NAME = 'outrider';

/** Version 2: answers and alerts carry asked/sent/answered times and a late flag; answeredAt is indexed for drain progress. */
async function upgradeToV2(tx: Transaction): Promise<void> {
  const outbox = new Map<string, OutboxEntry>();
  await tx.table('outbox').each((entry: OutboxEntry) => outbox.set(entry.id, entry));
  await tx.table('answers').toCollection().modify((answer: StoredAnswer) => {
    const entry = outbox.get(answer.queryId);
    answer.askedAt = entry?.askedAt ?? answer.receivedAt;
    answer.sentAt = entry?.sentAt ?? answer.receivedAt;
    answer.answeredAt = entry?.answeredAt ?? answer.receivedAt;
    answer.late = false;
  });
  await tx.table('alerts').toCollection().modify((alert: AlertRecord) => {
    alert.late = false;
  });
}

/** Version 3: answers arrive part by part (each stored answer says whether it is complete); settings and BOLOs; alerts found by query. */
async function upgradeToV3(tx: Transaction): Promise<void> {
  await tx.table('answers').toCollection().modify((answer: StoredAnswer) => {
    answer.complete = true;
  });
}

const sealing = new WeakMap<OutriderDb, { holder: KeyHolder; stamp: AuditStamp }>();

/**
 * For a writer outside Dexie (the intake's worker): the data key once loaded, and who to stamp a line
 * with, as the middlewares would. Undefined for a database opened without a key (nothing sealed).
 */
export function sealingOf(db: OutriderDb): { key(): Uint8Array | undefined; stamp: AuditStamp } | undefined {
  const held = sealing.get(db);
  return held && { key: () => held.holder.key, stamp: held.stamp };
}

/** Each database's second connection, whose transactions commit strict (strictIntake). */
const strictTwins = new WeakMap<OutriderDb, Dexie>();

/** Stamps audit lines and intake rows, and seals CJI fields once `holder` has the data key. */
function withMiddlewares(db: Dexie, stamp: AuditStamp, holder: KeyHolder | undefined): Dexie {
  db.use(auditChainMiddleware(stamp));
  if (holder) db.use(cjiMiddleware(holder));
  return db;
}

/**
 * The intake on a connection of its own whose transactions commit `strict`: `complete` comes once the write is
 * flushed to disk, so a query the screen calls queued survives a power cut or an OS crash, not only a crash of
 * the app. Chromium's default (relaxed) leaves a commit in the OS's cache. Dexie sets durability for a whole
 * connection, not per transaction (its DBCore takes one per transaction, but a write made through it outside a
 * Dexie transaction breaks Dexie's own cache middleware), and only the intake's puts need it: every other write
 * keeps the default. The connection runs the same middlewares (stamped, sealed with the same key) and opens,
 * after `db`, at whatever version `db` made, with the data key `db`'s opening loaded.
 */
export async function strictIntake(db: OutriderDb): Promise<Table<IntakeRecord, string>> {
  await db.open();
  const strict = strictTwins.get(db);
  if (!strict) throw new Error(`The database ${db.name} was not made by openDatabase`);
  if (!strict.isOpen()) await strict.open();
  return strict.table<IntakeRecord, string>('intake');
}

/**
 * Opens the terminal's database. With `dataKey`, CJI fields are sealed at rest (AES-GCM 256): the key is
 * loaded when the database opens, before any other read or write is let through. Audit lines are chained
 * and stamped by `stamp` (who and where); without one, no officer and an unknown terminal.
 */
export function openDatabase(name: string = DATABASE_NAME, dataKey?: () => Promise<Uint8Array>, options?: { stamp?: AuditStamp }): OutriderDb {
  const db = new Dexie(name) as OutriderDb;
  const stamp = options?.stamp ?? (() => ({ officer: '', terminal: UNKNOWN_TERMINAL }));
  const holder: KeyHolder | undefined = dataKey && { key: undefined };
  withMiddlewares(db, stamp, holder);
  const strict = withMiddlewares(new Dexie(name, { chromeTransactionDurability: 'strict' }), stamp, holder);
  strictTwins.set(db, strict);
  // The strict connection opens and closes with this one. Opened on its first write instead, that write would
  // wait for every transaction begun before it (opening, Dexie reads the schema in a read-only transaction over
  // every store); left open, it would hold up a deletion or an upgrade this one lets through.
  // Should it fail to open, this one still does: strictIntake opens it again, and says why, at its first write.
  db.on('ready', () => strict.open().catch(() => undefined), true);
  db.on('close', () => strict.close());
  if (dataKey && holder) {
    sealing.set(db, { holder, stamp });
    db.on('ready', async () => {
      holder.key = await dataKey();
      // Rows written before the key was loaded (by an upgrade), or sealed before values were bound to their
      // row (schema 6 and before), are sealed now.
      await sealStoredRows(db.backendDB(), holder);
    });
  }
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
  const v3 = { ...SCHEMA_V2, alerts: 'id, queryId, [acknowledgedAt+rank]', settings: 'key', bolos: 'id, issuedAt' };
  db.version(3).stores(v3).upgrade(upgradeToV3);
  // Version 4: the offline hotlist and requests for confirmation; nothing to move.
  const v4 = { ...v3, hotlist: 'id', confirmations: 'id, queryId, dueAt' };
  db.version(4).stores(v4);
  // Version 5: officers who signed in here and queries held for them; answers found by age for the retention purge.
  const v5 = { ...v4, answers: 'queryId, answeredAt', officers: 'id', held: 'officerId' };
  db.version(5).stores(v5);
  // Version 6: queries entered but not yet in the outbox; nothing to move.
  const v6 = { ...v5, intake: 'id' };
  db.version(6).stores(v6);
  // Version 7: sealed values are bound to their row's key; the rows are re-sealed once the key is loaded.
  db.version(7).stores(v6);
  // Version 8: acknowledgements stored on their own before they are folded into their alerts; nothing to move. They
  // have since moved to a database of their own (alerts/acknowledgement-store.ts); the table keeps what a build left.
  db.version(8).stores({ ...v6, acknowledgements: 'id' });
  return db;
}
