// The queue: a query entered is durable before the UI says "queued", then sent by lane and age until answered,
// failed or cancelled. It is written first to the intake, a store no view reads, so a view reading the outbox
// never holds up Enter; it joins the outbox a moment later. Answers and alerts are stored by answers/ and alerts/.
import type { Priority, Source } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import type { AuditEntry, IntakeRecord, OutboxEntry, OutriderDb } from '../db/database.ts';
import { type Intake, intakeFor } from './intake.ts';
import { LANE_OF, recoverInterrupted, transitions } from './outbox-state.ts';

const audit = (action: AuditEntry['action'], subject: string, outcome: string, now: Date): AuditEntry => ({
  at: now.toISOString(),
  action,
  subject,
  outcome,
});

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

/** An entry marked sending by a claim, and the entry as it was before. */
export interface Claimed {
  entry: OutboxEntry;
  prior: OutboxEntry;
}

export class Outbox {
  #seq = Date.now() * 1000;
  /** The intake being taken in, and whether more came in since that pass read it. */
  #settling: Promise<number> | undefined;
  #more = false;
  readonly #clock: () => Date;
  readonly #intake: Intake;

  constructor(
    private readonly db: OutriderDb,
    options: { clock?: () => Date; intake?: Intake } = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#intake = options.intake ?? intakeFor(db);
  }

  /** The query the officer is typing, valid so far: sealed ahead (Intake.prepare). Nothing is stored. */
  prepare(query: Query): void {
    this.#intake.prepare(query);
  }

  /**
   * Durably queues a validated query; resolves only once the entry and its audit line are committed (in the
   * intake: from then on a crash cannot lose it). It joins the outbox a moment later (`settle`).
   */
  async enqueue(query: Query, priority: Priority): Promise<OutboxEntry> {
    const now = this.#clock();
    // seq orders entries first-in-first-out even when two arrive in the same millisecond.
    this.#seq = Math.max(this.#seq + 1, now.getTime() * 1000);
    const entry: OutboxEntry = {
      id: this.#intake.idFor(query),
      query,
      priority,
      lane: LANE_OF[priority],
      seq: this.#seq,
      status: 'queued',
      attempts: 0,
      askedAt: now.toISOString(),
    };
    await this.#intake.writeIntake({ ...entry, enqueued: audit('query.enqueued', entry.id, `queued ${query.kind} query, ${priority}`, now) });
    // Failing, it is tried again at the next query, the next start, or before sign-out: the query is safe meanwhile.
    this.settle().catch(() => undefined);
    return entry;
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
    return (await this.reserve(limit)).map((claimed) => claimed.entry);
  }

  /**
   * Claims as `claim` does, keeping each entry as it was before, so one claimed but not sent can be given back.
   * `claiming` learns the claims before they commit, so that their change notice is known for the claimer's own.
   */
  async reserve(limit: number, claiming?: (claimed: readonly Claimed[]) => void): Promise<Claimed[]> {
    if (limit <= 0) return [];
    // A query being taken in from the intake is claimable once it is in.
    if (this.#settling) await this.#settling.catch(() => 0);
    return this.db.transaction('rw', this.db.outbox, async () => {
      const next = await this.#queued().limit(limit).toArray();
      const claimed = next.map((prior) => ({ entry: transitions.send(prior, this.#clock()), prior }));
      claiming?.(claimed);
      await this.db.outbox.bulkPut(claimed.map((each) => each.entry));
      return claimed;
    });
  }

  /**
   * Puts entries claimed but never sent back in the queue exactly as they were (no attempt counted). One changed
   * since its claim (recovery requeued it) is left as it is.
   */
  async giveBack(claimed: readonly Claimed[]): Promise<void> {
    if (claimed.length === 0) return;
    await this.db.transaction('rw', this.db.outbox, async () => {
      const stored = await this.db.outbox.bulkGet(claimed.map((each) => each.entry.id));
      const untouched = claimed.filter(({ entry }, i) => stored[i]?.status === 'sending' && stored[i]!.attempts === entry.attempts && stored[i]!.sentAt === entry.sentAt);
      if (untouched.length > 0) await this.db.outbox.bulkPut(untouched.map((each) => each.prior));
    });
  }

  /** The queued entry a claim would take first, if any. */
  async next(): Promise<OutboxEntry | undefined> {
    return this.#queued().first();
  }

  #queued() {
    return this.db.outbox.where('[status+lane+seq]').between(['queued', -Infinity, -Infinity], ['queued', Infinity, Infinity]);
  }

  /** The switch accepted the request (2xx headers arrived): from here a resend is only a replay. */
  async markDelivered(id: string): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' ? transitions.deliver(entry) : entry));
  }

  /** The switch holds the query (its 202) and named the sources that will answer: the results show those still to come. */
  async accept(id: string, sources: Source[]): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' ? { ...transitions.deliver(entry), awaiting: sources } : entry));
  }

  /** Several accepts in one transaction (replies that landed together): each as `accept` would write it. */
  async acceptAll(accepted: ReadonlyArray<{ id: string; sources: Source[] }>): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      const entries = await this.db.outbox.bulkGet(accepted.map((each) => each.id));
      const changed = entries.flatMap((entry, i) => (entry?.status === 'sending' ? [{ ...transitions.deliver(entry), awaiting: accepted[i]!.sources }] : []));
      if (changed.length > 0) await this.db.outbox.bulkPut(changed);
    });
  }

  /** Entries the switch has accepted whose answer is not complete: what the poll fallback asks about. */
  async awaitingAnswer(): Promise<OutboxEntry[]> {
    return this.db.outbox.where('status').equals('delivered').toArray();
  }

  /** Puts an entry back in the queue after a failed attempt (the link, a timeout, a 5xx, a cut answer). */
  async requeue(id: string, reason: string): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' || entry.status === 'delivered' ? transitions.requeue(entry, reason) : entry));
  }

  /** The officer withdraws a query that has not left the car. Returns false when it is already on its way. */
  async cancel(id: string): Promise<boolean> {
    const now = this.#clock();
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
    const now = this.#clock();
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
