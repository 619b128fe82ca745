// The outbox: every query is written to IndexedDB with its audit entry before the UI says "queued".
import type { Priority, QueryAnswer } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import { summarizeAnswer } from '../alerts/classify.ts';
import type { AlertRecord, AuditEntry, OutboxEntry, OutriderDb } from '../db/database.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { isLate, LANE_OF, recoverInterrupted, transitions } from './outbox-state.ts';

const audit = (action: AuditEntry['action'], subject: string, outcome: string, now: Date): AuditEntry => ({
  at: now.toISOString(),
  action,
  subject,
  outcome,
});

export class Outbox {
  #seq = Date.now() * 1000;

  constructor(
    private readonly db: OutriderDb,
    private readonly clock: () => Date = () => new Date(),
    private readonly lateAfterMinutes: number = FIELD_CONFIG.lateAnswerMinutes,
  ) {}

  /** Durably queues a validated query; resolves only once the entry and its audit line are committed. */
  async enqueue(query: Query, priority: Priority): Promise<OutboxEntry> {
    const now = this.clock();
    // seq orders entries first-in-first-out even when two arrive in the same millisecond.
    this.#seq = Math.max(this.#seq + 1, now.getTime() * 1000);
    const entry: OutboxEntry = {
      id: crypto.randomUUID(),
      query,
      priority,
      lane: LANE_OF[priority],
      seq: this.#seq,
      status: 'queued',
      attempts: 0,
      askedAt: now.toISOString(),
    };
    await this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      await this.db.outbox.add(entry);
      await this.db.audit.add(audit('query.enqueued', entry.id, `queued ${query.kind} query, ${priority}`, now));
    });
    return entry;
  }

  /** Claims up to `limit` queued entries, most urgent lane first, oldest first, marking them sending. */
  async claim(limit: number): Promise<OutboxEntry[]> {
    if (limit <= 0) return [];
    return this.db.transaction('rw', this.db.outbox, async () => {
      const next = await this.db.outbox
        .where('[status+lane+seq]')
        .between(['queued', -Infinity, -Infinity], ['queued', Infinity, Infinity])
        .limit(limit)
        .toArray();
      const claimed = next.map((entry) => transitions.send(entry, this.clock()));
      await this.db.outbox.bulkPut(claimed);
      return claimed;
    });
  }

  /** Stores the answer, any alert and the audit line, and closes the entry: all or nothing. */
  async recordAnswer(id: string, answer: QueryAnswer): Promise<AlertRecord | undefined> {
    const now = this.clock();
    return this.db.transaction('rw', [this.db.outbox, this.db.answers, this.db.alerts, this.db.audit], async () => {
      const entry = await this.db.outbox.get(id);
      // Already answered (a late duplicate response): the first answer stands, no second alert.
      if (!entry || entry.status === 'answered') return undefined;
      const summary = summarizeAnswer(entry.query, answer.parts);
      const answeredAt = now.toISOString();
      const late = isLate(entry.askedAt, now, this.lateAfterMinutes);
      await this.db.answers.put({
        queryId: id,
        switchQueryId: answer.queryId,
        receivedAt: answer.receivedAt,
        parts: answer.parts,
        askedAt: entry.askedAt,
        sentAt: entry.sentAt ?? answeredAt,
        answeredAt,
        late,
      });
      await this.db.outbox.put(transitions.answer(entry, now));
      await this.db.audit.add(audit('query.answered', id, late ? `${summary.outcome}, late` : summary.outcome, now));
      if (!summary.alert) return undefined;
      const alert: AlertRecord = { ...summary.alert, id: crypto.randomUUID(), queryId: id, askedAt: entry.askedAt, answeredAt, late, acknowledgedAt: 0 };
      await this.db.alerts.add(alert);
      await this.db.audit.add(audit('alert.raised', alert.id, `${alert.severity}: ${alert.title}`, now));
      return alert;
    });
  }

  /** The switch accepted the request (2xx headers arrived): from here a resend is only a replay. */
  async markDelivered(id: string): Promise<void> {
    await this.#update(id, (entry) => (entry.status === 'sending' ? transitions.deliver(entry) : entry));
  }

  /** Puts an entry back in the queue after a failed attempt (the link, a timeout, a 5xx, a cut answer). */
  async requeue(id: string, reason: string): Promise<void> {
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
    const now = this.clock();
    await this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      const entry = await this.db.outbox.get(id);
      if (entry?.status !== 'sending') return;
      await this.db.outbox.put(transitions.fail(entry, reason));
      await this.db.audit.add(audit('query.failed', id, reason, now));
    });
  }

  /** Run when this window becomes the one that sends: nothing is really in flight any more. */
  async recoverInterrupted(): Promise<number> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const stuck = await this.db.outbox.where('status').anyOf('sending', 'delivered').toArray();
      await this.db.outbox.bulkPut(stuck.map(recoverInterrupted));
      return stuck.length;
    });
  }

  async #update(id: string, change: (entry: OutboxEntry) => OutboxEntry): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, async () => {
      const entry = await this.db.outbox.get(id);
      if (entry) await this.db.outbox.put(change(entry));
    });
  }
}
