// Stores an answer part by part, one part per source, and closes its query once every source has answered.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { AnswerPart, QueryAnswer } from '../../src-shared/protocol.ts';
import type { AuditEntry, OutboxEntry, OutriderDb, StoredAnswer } from '../db/database.ts';
import { isLate, transitions } from '../outbox/outbox-state.ts';

/** Parts of one query's answer as they reach the terminal: from the event stream, a poll, or a synchronous reply. */
export interface PartDelivery {
  /** The outbox entry's id (the idempotency key). */
  queryId: string;
  switchQueryId: string;
  receivedAt: string;
  parts: AnswerPart[];
  /** Every source has answered: the entry is closed. */
  complete: boolean;
}

/** A whole answer (a switch that answered synchronously) as a delivery of every part at once. */
export function wholeAnswer(queryId: string, answer: QueryAnswer): PartDelivery {
  return { queryId, switchQueryId: answer.queryId, receivedAt: answer.receivedAt, parts: answer.parts, complete: true };
}

/** The parts of `incoming` whose source `held` has not got yet: a source answers once, its first part stands. */
export function newParts(held: readonly AnswerPart[], incoming: readonly AnswerPart[]): AnswerPart[] {
  const known = new Set(held.map((part) => part.source));
  return incoming.filter((part) => !known.has(part.source) && known.add(part.source));
}

/** An answer with a delivery merged in, before it is written: what deciding its alert needs. */
export interface MergedAnswer {
  entry: OutboxEntry;
  delivery: PartDelivery;
  parts: AnswerPart[];
  /** When the first part came: the moment the officer could first know, and when lateness is judged. */
  answeredAt: string;
  late: boolean;
}

export class AnswerStore {
  constructor(
    private readonly db: OutriderDb,
    private readonly lateAfterMinutes: number = FIELD_CONFIG.lateAnswerMinutes,
  ) {}

  /** The tables `merge` and `write` use, for the transaction that holds them. */
  get tables() {
    return [this.db.outbox, this.db.answers, this.db.audit];
  }

  /**
   * Reads the query and the parts held, and merges the delivery in. Undefined when there is nothing to store:
   * answered already (a duplicate), not this terminal's (its storage was wiped), or no new part.
   */
  async merge(delivery: PartDelivery, now: Date): Promise<MergedAnswer | undefined> {
    const [entry, held] = await Promise.all([this.db.outbox.get(delivery.queryId), this.db.answers.get(delivery.queryId)]);
    if (!entry || entry.status === 'answered') return undefined;
    const fresh = newParts(held?.parts ?? [], delivery.parts);
    if (fresh.length === 0 && !delivery.complete) return undefined;
    return {
      entry,
      delivery,
      parts: [...(held?.parts ?? []), ...fresh],
      answeredAt: held?.answeredAt ?? now.toISOString(),
      late: held?.late ?? isLate(entry.askedAt, now, this.lateAfterMinutes),
    };
  }

  /** Starts the writes that store `answer` (and close its entry when complete); returns them and the audit line to add. */
  write(answer: MergedAnswer, outcome: string, now: Date): { writes: Array<Promise<unknown>>; line?: AuditEntry } {
    const { entry, delivery, parts, answeredAt, late } = answer;
    const stored: StoredAnswer = {
      queryId: entry.id,
      switchQueryId: delivery.switchQueryId,
      receivedAt: delivery.receivedAt,
      parts,
      complete: delivery.complete,
      askedAt: entry.askedAt,
      sentAt: entry.sentAt ?? answeredAt,
      answeredAt,
      ...(delivery.complete ? { completedAt: now.toISOString() } : {}),
      late,
    };
    const writes: Array<Promise<unknown>> = [this.db.answers.put(stored)];
    if (!delivery.complete) return { writes };
    writes.push(this.db.outbox.put(transitions.answer(entry, now)));
    const line: AuditEntry = { at: now.toISOString(), action: 'query.answered', subject: entry.id, outcome: late ? `${outcome}, late` : outcome };
    return { writes, line };
  }
}
