// Collects answers the switch accepted: parts from the event stream as they come, and a poll for anything the stream missed.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { Bolo, CompleteEvent, ConfirmationAnswer, GapEvent, PartEvent } from '../../src-shared/protocol.ts';
import { recordConfirmationAnswer } from '../confirm/confirmations.ts';
import type { StreamEvent } from '../../src-shared/sse.ts';
import type { AlertRecord, OutriderDb } from '../db/database.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { markAnswerArrived } from '../perf-marks.ts';
import type { BoloInbox } from '../alerts/bolo-inbox.ts';
import type { PollOutcome } from './switch-client.ts';

export interface CollectorDeps {
  db: OutriderDb;
  outbox: Outbox;
  bolos: BoloInbox;
  poll(key: string): Promise<PollOutcome>;
  link: { readonly canSend: boolean };
  onAlert(alert: AlertRecord): void;
  /** An accepted query with no complete answer after this long is asked for directly. */
  pollAfterMs?: number;
  clock?: () => number;
}

export class AnswerCollector {
  /** When each open entry was last polled, so a slow source is asked about at a steady pace, not in a loop. */
  readonly #polledAt = new Map<string, number>();
  /** Set by a `gap` event: every open entry is polled at once, whatever its age. */
  #pollAll = false;
  #polling = false;

  constructor(private readonly deps: CollectorDeps) {}

  /**
   * Applies the events that arrived together (one network read) in one transaction, storing the stream
   * position with them, so a resume never skips or repeats one. Alerts are announced once it has committed.
   */
  async apply(events: readonly StreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Each event's data is read once: its key for the arrival mark now, the whole of it in the transaction.
    const read = events.map((event) => ({ event, data: parse(event.data) }));
    for (const { event, data } of read) {
      const answer = event.type === 'part' || event.type === 'complete';
      if (answer && typeof data === 'object' && data !== null && 'idempotencyKey' in data) markAnswerArrived(String(data.idempotencyKey));
    }
    const raised: AlertRecord[] = [];
    let gap = false;
    const { db } = this.deps;
    await db.transaction('rw', [db.outbox, db.answers, db.alerts, db.audit, db.settings, db.bolos, db.confirmations], async () => {
      for (const [index, { event, data }] of read.entries()) {
        // The stream position is written once, with the batch's last event: the batch commits as one.
        const outcome = await this.#applyOne(event, data, index === read.length - 1);
        if (outcome === 'gap') gap = true;
        else if (outcome) raised.push(outcome);
      }
    });
    raised.forEach((alert) => this.deps.onAlert(alert));
    if (gap) {
      this.#pollAll = true;
      void this.pollOpen();
    }
  }

  async #applyOne(event: StreamEvent, data: unknown, last: boolean): Promise<AlertRecord | 'gap' | undefined> {
    const cursor = last ? event.id : undefined;
    switch (event.type) {
      case 'part': {
        const parsed = PartEvent.safeParse(data);
        if (!parsed.success) break;
        const { idempotencyKey, queryId, receivedAt, part } = parsed.data;
        return this.deps.outbox.recordParts(idempotencyKey, { switchQueryId: queryId, receivedAt, parts: [part], complete: false }, cursor);
      }
      case 'complete': {
        const parsed = CompleteEvent.safeParse(data);
        if (!parsed.success) break;
        const answer = parsed.data;
        this.#polledAt.delete(answer.idempotencyKey);
        return this.deps.outbox.recordParts(answer.idempotencyKey, { switchQueryId: answer.queryId, receivedAt: answer.receivedAt, parts: answer.parts, complete: true }, cursor);
      }
      case 'bolo': {
        const parsed = Bolo.safeParse(data);
        if (!parsed.success) break;
        return this.deps.bolos.receive(parsed.data, cursor);
      }
      case 'confirmation': {
        // The agency's YR: stored with the stream position below, like any event that raises no alert.
        const parsed = ConfirmationAnswer.safeParse(data);
        if (parsed.success) await recordConfirmationAnswer(this.deps.db, parsed.data);
        break;
      }
      case 'gap':
        if (!GapEvent.safeParse(data).success) break;
        if (cursor !== undefined) await this.deps.db.settings.put({ key: 'streamCursor', value: cursor });
        return 'gap';
    }
    // An event this terminal cannot read is skipped, not retried forever; its position is still kept.
    if (cursor !== undefined) await this.deps.db.settings.put({ key: 'streamCursor', value: cursor });
    return undefined;
  }

  /** Asks the switch directly about accepted queries the stream has not completed in good time. */
  async pollOpen(): Promise<void> {
    if (this.#polling || !this.deps.link.canSend) return;
    this.#polling = true;
    try {
      const now = (this.deps.clock ?? Date.now)();
      const after = this.deps.pollAfterMs ?? FIELD_CONFIG.answerPollAfterMs;
      const all = this.#pollAll;
      this.#pollAll = false;
      const open = await this.deps.outbox.awaitingAnswer();
      for (const entry of open) {
        const since = this.#polledAt.get(entry.id) ?? Date.parse(entry.sentAt ?? entry.askedAt);
        if (!all && now - since < after) continue;
        if (!this.deps.link.canSend) break;
        this.#polledAt.set(entry.id, now);
        const outcome = await this.deps.poll(entry.id);
        if (outcome.kind === 'unknown') {
          // The switch has forgotten it (restarted): resend with the same key. Nothing was answered, so nothing repeats.
          this.#polledAt.delete(entry.id);
          await this.deps.outbox.requeue(entry.id, 'The switch no longer holds this query; sending it again');
        } else if (outcome.kind === 'status') {
          const { status } = outcome;
          if (status.complete) this.#polledAt.delete(entry.id);
          if (status.parts.length > 0 || status.complete) {
            markAnswerArrived(entry.id);
            this.#announce(await this.deps.outbox.recordParts(entry.id, { switchQueryId: status.queryId, receivedAt: status.receivedAt, parts: status.parts, complete: status.complete }));
          }
        }
      }
    } finally {
      this.#polling = false;
    }
  }

  #announce(alert: AlertRecord | undefined): void {
    if (alert) this.deps.onAlert(alert);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
