// What this window knows of the queries it sent for the first time, so a hit can be shown before it is stored.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { AnswerPart } from '../../src-shared/protocol.ts';
import { newParts, type PartDelivery } from '../answers/answer-store.ts';
import type { AlertRecord, OutboxEntry } from '../db/database.ts';
import { isLate } from '../outbox/outbox-state.ts';
import type { AnswerSummary } from './classify.ts';

/** One query as far as its answer has come: the parts, their classification, the alert so far. */
export interface SentQuery {
  entry: OutboxEntry;
  parts: AnswerPart[];
  answeredAt?: string;
  late?: boolean;
  alert?: AlertRecord;
  /** The classification of `parts`, made once and used again when they are stored. */
  summary?: AnswerSummary;
}

export class SentQueries {
  readonly #sent = new Map<string, SentQuery>();

  constructor(private readonly lateAfterMinutes: number = FIELD_CONFIG.lateAnswerMinutes) {}

  /**
   * Remembers first sends with the alert each already has (a possible hit from the hotlist, raised only while
   * queued). A resend is forgotten: it may bring parts stored before, so storage alone decides its alert.
   */
  sending(entries: readonly OutboxEntry[], alerts: readonly AlertRecord[]): void {
    for (const entry of entries) {
      if (entry.attempts !== 1) {
        this.#sent.delete(entry.id);
        continue;
      }
      if (this.#sent.size >= FIELD_CONFIG.sentQueriesKept) this.#sent.delete(this.#sent.keys().next().value!);
      this.#sent.set(entry.id, { entry, parts: [], alert: alerts.find((alert) => alert.queryId === entry.id) });
    }
  }

  /** Adds the delivery's new parts to a remembered query; returns it when there were any, else undefined. */
  take(delivery: PartDelivery, now: Date): SentQuery | undefined {
    const sent = this.#sent.get(delivery.queryId);
    if (!sent) return undefined;
    const fresh = newParts(sent.parts, delivery.parts);
    if (fresh.length === 0) return undefined;
    sent.parts = [...sent.parts, ...fresh];
    sent.summary = undefined;
    sent.answeredAt ??= now.toISOString();
    sent.late ??= isLate(sent.entry.askedAt, now, this.lateAfterMinutes);
    return sent;
  }

  /** The classification made from memory, when storage holds exactly the parts it was made from. */
  summaryOf(queryId: string, parts: readonly AnswerPart[]): AnswerSummary | undefined {
    const sent = this.#sent.get(queryId);
    const same = sent?.summary && sent.parts.length === parts.length && sent.parts.every((part, i) => part.source === parts[i]!.source);
    return same ? sent.summary : undefined;
  }

  forget(queryId: string): void {
    this.#sent.delete(queryId);
  }

  /** Nothing is in flight from this window any more (it stopped or started sending). */
  clear(): void {
    this.#sent.clear();
  }
}
