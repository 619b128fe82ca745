// The outbox: every query is written to IndexedDB with its audit entry before the UI says "queued".
//
// A query entered goes first into the intake (database.ts), with its audit line, in a transaction over that
// store alone: IndexedDB makes a write wait for every read-only transaction opened before it on the same
// store, and the views read the outbox several times a second. The outbox takes the intake in straight
// after, in a transaction of its own, where the line joins the audit chain; a crash in between leaves the
// query in the intake, taken in at the next start.
import type { AnswerPart, Priority, QueryAnswer, Source } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import { type AlertDraft, SEVERITY_RANK, summarizeAnswer } from '../alerts/classify.ts';
import type { AlertRecord, AuditEntry, IntakeRecord, OutboxEntry, OutriderDb } from '../db/database.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { isLate, LANE_OF, recoverInterrupted, transitions } from './outbox-state.ts';
import { IntakeWorkerUnavailable, type IntakeWriter, workerIntake } from './intake-writer.ts';
import { markQueryCommitted } from '../perf-marks.ts';

const audit = (action: AuditEntry['action'], subject: string, outcome: string, now: Date): AuditEntry => ({
  at: now.toISOString(),
  action,
  subject,
  outcome,
});

/** What one answer does to its query's alert: the record to store, its audit line, and whether to announce it. */
interface AlertChange {
  alert: AlertRecord;
  line?: AuditEntry;
  announce: boolean;
}

/**
 * The live answer is complete and has no hit: a possible hit from the offline hotlist is cleared, and the
 * officer is told so (the plate may have been recovered since the list was made).
 */
function clearPossibleHit(existing: AlertRecord | undefined, now: Date): AlertChange | undefined {
  if (existing?.severity !== 'possible_hit') return undefined;
  const cleared: AlertRecord = {
    ...existing,
    severity: 'information',
    rank: SEVERITY_RANK.information,
    title: 'CLEARED: NO HIT ON THE LIVE ANSWER',
    detail: `The hotlist flagged this plate while offline; the switch's answer shows no want. ${existing.detail}`,
    sources: ['Live answer from the switch'],
    answeredAt: now.toISOString(),
    acknowledgedAt: 0,
  };
  return { alert: cleared, line: audit('alert.raised', cleared.id, `information: possible hit cleared by the live answer`, now), announce: true };
}

/**
 * A query's one alert has an id of its own query's: the alert raised from memory the moment a part arrives
 * (Outbox.preview) and the one stored a moment later are the same alert, whichever is first on screen.
 */
export function alertIdFor(queryId: string): string {
  return `alert-${queryId}`;
}

/**
 * Whether a stored alert is the one Outbox.preview already put on screen, at the same severity: announcing it
 * again would only sound and notify twice.
 */
export function shownAlready(shown: AlertRecord | undefined, stored: AlertRecord): boolean {
  return shown?.id === stored.id && shown.rank === stored.rank;
}

/** One alert per query: raised on the first hit part, raised again only if a later part makes it more severe. */
function raise(
  existing: AlertRecord | undefined,
  hit: { queryId: string; askedAt: string; answeredAt: string; late: boolean; draft: AlertDraft; now: Date },
): AlertChange {
  const { queryId, askedAt, answeredAt, late, draft, now } = hit;
  if (!existing) {
    const alert: AlertRecord = { ...draft, id: alertIdFor(queryId), queryId, askedAt, answeredAt, late, acknowledgedAt: 0 };
    return { alert, line: audit('alert.raised', alert.id, `${alert.severity}: ${alert.title}`, now), announce: true };
  }
  if (draft.rank < existing.rank) {
    // A caution arrived after the hit (NCIC answers after the state), or the live hit after a hotlist possible
    // hit: the officer must see it even if the first was acknowledged. A live answer replacing a possible hit
    // brings its own times: it may be late where the possible hit was not.
    const live = existing.severity === 'possible_hit' ? { askedAt, answeredAt, late } : {};
    const raised: AlertRecord = { ...existing, ...draft, ...live, acknowledgedAt: 0 };
    return { alert: raised, line: audit('alert.raised', raised.id, `raised to ${raised.severity}: ${raised.title}`, now), announce: true };
  }
  // Same severity, more detail (a second source confirms): update what is shown, without a second alarm.
  return { alert: { ...existing, ...draft, rank: existing.rank, severity: existing.severity }, announce: false };
}

/** Parts of one answer as they reach the terminal: from the event stream, a poll, or a synchronous reply. */
export interface PartDelivery {
  switchQueryId: string;
  receivedAt: string;
  parts: AnswerPart[];
  /** Every source has answered: the entry is closed. */
  complete: boolean;
}

/**
 * Moves every query in the intake into the outbox, its audit line into the chain, in entry order. One already
 * in the outbox (taken in just before a crash, or by another window) is not taken in twice. Returns how many
 * were taken in. Whatever reads or removes queued queries for good (sign-out, the start of sending) runs this first.
 */
export async function settleIntake(db: OutriderDb): Promise<number> {
  const taken = (await db.intake.toArray()).sort((a, b) => a.seq - b.seq);
  if (taken.length === 0) return 0;
  const ids = taken.map((row) => row.id);
  const moved = await db.transaction('rw', db.outbox, db.audit, async () => {
    const present = await db.outbox.bulkGet(ids);
    const fresh = taken.filter((_, i) => present[i] === undefined);
    if (fresh.length === 0) return 0;
    await Promise.all([db.outbox.bulkAdd(fresh.map(entryOf)), db.audit.bulkAdd(fresh.map((row) => row.enqueued))]);
    return fresh.length;
  });
  await db.intake.bulkDelete(ids);
  return moved;
}

function entryOf(row: IntakeRecord): OutboxEntry {
  const { enqueued: _line, ...entry } = row;
  return entry;
}

/**
 * A query this window sent for the first time, as far as its answer has come: what raising its alert needs
 * (the query, when it was asked, the parts so far, the alert so far) without a read of storage.
 */
interface Sent {
  entry: OutboxEntry;
  parts: AnswerPart[];
  answeredAt?: string;
  late?: boolean;
  alert?: AlertRecord;
}

/** Queries remembered at most: a link that stays down with thousands sent is read from storage like before. */
const SENT_KEPT = 2_000;

export class Outbox {
  #seq = Date.now() * 1000;
  /** Queries sent from this window whose answer is not complete: the alert can be raised from here. */
  readonly #sent = new Map<string, Sent>();
  /** The intake being taken in, and whether more came in since that pass read it. */
  #settling: Promise<number> | undefined;
  #more = false;

  /** Where there are workers and the database is sealed, the intake is written from one (intake-writer.ts). */
  readonly #intake: IntakeWriter | undefined;

  constructor(
    private readonly db: OutriderDb,
    private readonly clock: () => Date = () => new Date(),
    private readonly lateAfterMinutes: number = FIELD_CONFIG.lateAnswerMinutes,
    intake: IntakeWriter | undefined = workerIntake(db),
  ) {
    this.#intake = intake;
  }

  /**
   * The query the officer is typing, valid so far: sealed now, so Enter has one seal less to make before the
   * query is queued (IntakeWriter.prepare). Nothing is stored; a query changed before Enter is sealed afresh.
   */
  prepare(query: Query): void {
    this.#intake?.prepare(query);
  }

  /**
   * Durably queues a validated query; resolves only once the entry and its audit line are committed (in the
   * intake: from then on a crash cannot lose it). It joins the outbox a moment later (`settle`).
   */
  async enqueue(query: Query, priority: Priority): Promise<OutboxEntry> {
    const now = this.clock();
    // seq orders entries first-in-first-out even when two arrive in the same millisecond.
    this.#seq = Math.max(this.#seq + 1, now.getTime() * 1000);
    const entry: OutboxEntry = {
      // A query sealed ahead was bound to an id then: the entry takes that id, so the sealed value opens in its row.
      id: this.#intake?.preparedId(query) ?? crypto.randomUUID(),
      query,
      priority,
      lane: LANE_OF[priority],
      seq: this.#seq,
      status: 'queued',
      attempts: 0,
      askedAt: now.toISOString(),
    };
    await this.#takeIn({ ...entry, enqueued: audit('query.enqueued', entry.id, `queued ${query.kind} query, ${priority}`, now) });
    // Failing, it is tried again at the next query, the next start, or before sign-out: the query is safe meanwhile.
    this.settle().catch(() => undefined);
    return entry;
  }

  /**
   * Commits the row to the intake: from the worker where there is one, through the page where there is not
   * or it has failed. A put, not an add: a row the worker committed just before it died is written the same.
   */
  async #takeIn(row: IntakeRecord): Promise<void> {
    if (this.#intake) {
      try {
        markQueryCommitted(row.id, await this.#intake.write(row));
        return;
      } catch (error) {
        if (!(error instanceof IntakeWorkerUnavailable)) throw error;
      }
    }
    await this.db.intake.put(row);
    markQueryCommitted(row.id);
  }

  /** Takes everything in the intake into the outbox; resolves once what was there when called has joined it. */
  settle(): Promise<number> {
    this.#more = true;
    this.#settling ??= (async () => {
      let moved = 0;
      try {
        while (this.#more) {
          this.#more = false;
          moved += await settleIntake(this.db);
        }
        return moved;
      } finally {
        this.#settling = undefined;
      }
    })();
    return this.#settling;
  }

  /** Claims up to `limit` queued entries, most urgent lane first, oldest first, marking them sending. */
  async claim(limit: number): Promise<OutboxEntry[]> {
    if (limit <= 0) return [];
    // A query being taken in from the intake is claimable once it is in.
    if (this.#settling) await this.#settling.catch(() => 0);
    const claimed = await this.db.transaction('rw', this.db.outbox, async () => {
      const next = await this.db.outbox
        .where('[status+lane+seq]')
        .between(['queued', -Infinity, -Infinity], ['queued', Infinity, Infinity])
        .limit(limit)
        .toArray();
      const sending = next.map((entry) => transitions.send(entry, this.clock()));
      await this.db.outbox.bulkPut(sending);
      return sending;
    });
    await this.#remember(claimed.filter((entry) => entry.attempts === 1));
    return claimed;
  }

  /**
   * Remembers queries sent for the first time, so their alert can be raised from memory (`preview`). A first
   * send has no answer stored; it may have a possible hit from the offline hotlist, read here (a possible hit
   * is raised only for a query still queued, so none comes after this read).
   */
  async #remember(first: readonly OutboxEntry[]): Promise<void> {
    if (first.length === 0) return;
    const alerts = await this.db.alerts
      .where('queryId')
      .anyOf(first.map((entry) => entry.id))
      .toArray()
      .catch(() => undefined);
    // Unreadable: these queries' alerts are decided from storage, as before.
    if (!alerts) return;
    for (const entry of first) {
      if (this.#sent.size >= SENT_KEPT) this.#sent.delete(this.#sent.keys().next().value!);
      this.#sent.set(entry.id, { entry, parts: [], alert: alerts.find((alert) => alert.queryId === entry.id) });
    }
  }

  /**
   * The alert these parts raise, decided from memory the moment they arrive, before they are stored: for a
   * query this window sent for the first time, whose earlier parts and alert it therefore knows. The officer
   * sees the hit without waiting for storage; `recordParts` then stores the same alert, under the same id
   * (or, after a crash, stores it for the next start to show). Undefined when memory cannot say, or nothing
   * new is to be announced: the stored path decides then, as before. Never clears a possible hit early.
   */
  preview(id: string, delivery: PartDelivery): AlertRecord | undefined {
    const sent = this.#sent.get(id);
    if (!sent) return undefined;
    const known = new Set(sent.parts.map((part) => part.source));
    const fresh = delivery.parts.filter((part) => !known.has(part.source) && known.add(part.source));
    if (fresh.length === 0) return undefined;
    sent.parts = [...sent.parts, ...fresh];
    const now = this.clock();
    sent.answeredAt ??= now.toISOString();
    sent.late ??= isLate(sent.entry.askedAt, now, this.lateAfterMinutes);
    const summary = summarizeAnswer(sent.entry.query, sent.parts);
    if (!summary.alert) return undefined;
    const change = raise(sent.alert, { queryId: id, askedAt: sent.entry.askedAt, answeredAt: sent.answeredAt, late: sent.late, draft: summary.alert, now });
    sent.alert = change.alert;
    return change.announce ? change.alert : undefined;
  }

  /** Stores a whole answer (a switch that answered synchronously): the same path as parts arriving together. */
  async recordAnswer(id: string, answer: QueryAnswer): Promise<AlertRecord | undefined> {
    return this.recordParts(id, { switchQueryId: answer.queryId, receivedAt: answer.receivedAt, parts: answer.parts, complete: true });
  }

  /**
   * Stores parts of an answer as they arrive, raises or raises again the query's one alert, and closes the
   * entry once the answer is complete: all or nothing. A part
   * already held (a resent event, a poll overlapping the stream) changes nothing. Returns an alert to announce:
   * a new one, or one that got more severe with the latest part.
   *
   * Its three reads are issued together, then all its writes together: an alert is on screen only once this
   * has committed, and on a busy link each round trip to IndexedDB in turn is a few milliseconds more.
   */
  async recordParts(id: string, delivery: PartDelivery): Promise<AlertRecord | undefined> {
    const now = this.clock();
    const tables = [this.db.outbox, this.db.answers, this.db.alerts, this.db.audit];
    return this.db.transaction('rw', tables, async () => {
      const [entry, held, existing] = await Promise.all([
        this.db.outbox.get(id),
        this.db.answers.get(id),
        this.db.alerts.where('queryId').equals(id).first(),
      ]);
      // Answered in full: nothing more to raise from memory. (Should this transaction fail, the parts come again and
      // are stored under the same alert id.)
      if (delivery.complete) this.#sent.delete(id);
      // Answered already (a duplicate), or not this terminal's (its storage was wiped): nothing to do.
      if (!entry || entry.status === 'answered') return undefined;
      const known = new Set(held?.parts.map((part) => part.source));
      const fresh = delivery.parts.filter((part) => !known.has(part.source) && known.add(part.source));
      if (fresh.length === 0 && !delivery.complete) return undefined;
      const parts = [...(held?.parts ?? []), ...fresh];
      const summary = summarizeAnswer(entry.query, parts);
      // The first part is when the officer could first know: lateness is judged then, and kept.
      const answeredAt = held?.answeredAt ?? now.toISOString();
      const late = held?.late ?? isLate(entry.askedAt, now, this.lateAfterMinutes);
      const writes: Array<Promise<unknown>> = [
        this.db.answers.put({
          queryId: id,
          switchQueryId: delivery.switchQueryId,
          receivedAt: delivery.receivedAt,
          parts,
          complete: delivery.complete,
          askedAt: entry.askedAt,
          sentAt: entry.sentAt ?? answeredAt,
          answeredAt,
          ...(delivery.complete ? { completedAt: now.toISOString() } : {}),
          late,
        }),
      ];
      const lines: AuditEntry[] = [];
      if (delivery.complete) {
        writes.push(this.db.outbox.put(transitions.answer(entry, now)));
        lines.push(audit('query.answered', id, late ? `${summary.outcome}, late` : summary.outcome, now));
      }
      const change = summary.alert
        ? raise(existing, { queryId: id, askedAt: entry.askedAt, answeredAt, late, draft: summary.alert, now })
        : delivery.complete
          ? clearPossibleHit(existing, now)
          : undefined;
      if (change) {
        writes.push(this.db.alerts.put(change.alert));
        if (change.line) lines.push(change.line);
      }
      // The lines go in one request, in this order, so the audit chain reads its last line once.
      if (lines.length > 0) writes.push(this.db.audit.bulkAdd(lines));
      await Promise.all(writes);
      return change?.announce ? change.alert : undefined;
    });
  }

  /** The switch accepted the request (2xx headers arrived): from here a resend is only a replay. */
  async markDelivered(id: string): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' ? transitions.deliver(entry) : entry));
  }

  /** The switch holds the query (its 202) and named the sources that will answer: the results show those still to come. */
  async accept(id: string, sources: Source[]): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' ? { ...transitions.deliver(entry), awaiting: sources } : entry));
  }

  /** Entries the switch has accepted whose answer is not complete: what the poll fallback asks about. */
  async awaitingAnswer(): Promise<OutboxEntry[]> {
    return this.db.outbox.where('status').equals('delivered').toArray();
  }

  /** Puts an entry back in the queue after a failed attempt (the link, a timeout, a 5xx, a cut answer). */
  async requeue(id: string, reason: string): Promise<void> {
    // Sent again, it may bring parts already stored: from now on its alert is decided from storage alone.
    this.#sent.delete(id);
    await this.#update(id, (entry) => (entry.status === 'sending' || entry.status === 'delivered' ? transitions.requeue(entry, reason) : entry));
  }

  /** The officer withdraws a query that has not left the car. Returns false when it is already on its way. */
  async cancel(id: string): Promise<boolean> {
    const now = this.clock();
    return this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      const entry = await this.db.outbox.get(id);
      if (entry?.status !== 'queued' && entry?.status !== 'failed') return false;
      await this.db.outbox.put(transitions.cancel(entry));
      await this.db.audit.add(audit('query.cancelled', id, 'cancelled by the officer before sending', now));
      return true;
    });
  }

  /** Puts a failed query back in the queue at the officer's request. */
  async retry(id: string): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'failed' ? transitions.retry(entry) : entry));
  }

  /** The switch refused the query for good (it would refuse it again): the officer must see why. */
  async fail(id: string, reason: string): Promise<void> {
    this.#sent.delete(id);
    const now = this.clock();
    await this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      const entry = await this.db.outbox.get(id);
      if (entry?.status !== 'sending') return;
      await this.db.outbox.put(transitions.fail(entry, reason));
      await this.db.audit.add(audit('query.failed', id, reason, now));
    });
  }

  /**
   * Run when this window becomes the one that sends, and when it stops: nothing is really in flight any more,
   * and queries left in the intake (by a crash) are taken in.
   */
  async recoverInterrupted(): Promise<number> {
    await this.settle().catch(() => 0);
    // Nothing is in flight from here: what memory held of queries being sent is no longer true.
    this.#sent.clear();
    return this.db.transaction('rw', this.db.outbox, async () => {
      const stuck = await this.db.outbox.where('status').anyOf('sending', 'delivered').toArray();
      await this.db.outbox.bulkPut(stuck.map(recoverInterrupted));
      return stuck.length;
    });
  }

  async #update(id: string, change: (entry: OutboxEntry) => OutboxEntry): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      const entry = await this.db.outbox.get(id);
      // Unchanged (the answer beat the switch's 202 to storage): nothing is written, nobody is woken.
      const changed = entry && change(entry);
      if (changed && changed !== entry) await this.db.outbox.put(changed);
    });
  }
}
