// Collects answers the switch accepted: parts from the event stream as they come, and a poll for anything the stream missed.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { Bolo, CompleteEvent, ConfirmationAnswer, GapEvent, PartEvent } from '../../src-shared/protocol.ts';
import { recordConfirmationAnswer } from '../confirm/confirmations.ts';
import type { StreamEvent } from '../../src-shared/sse.ts';
import type { AlertRaiser } from '../alerts/alert-raiser.ts';
import { newParts, type PartDelivery } from '../answers/answer-store.ts';
import type { AlertRecord, OutriderDb } from '../db/database.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { markAnswerArrived } from '../perf-marks.ts';
import type { BoloInbox } from '../alerts/bolo-inbox.ts';
import type { PollOutcome } from './switch-client.ts';

export interface CollectorDeps {
  db: OutriderDb;
  outbox: Pick<Outbox, 'awaitingAnswer' | 'requeue'>;
  alerts: Pick<AlertRaiser, 'deliver'>;
  bolos: BoloInbox;
  poll(key: string): Promise<PollOutcome>;
  link: { readonly canSend: boolean };
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
   * position with them, so a resume never skips or repeats one. A query's parts and its `complete` in the
   * same read are merged into one delivery, so its alert waits for one write, not one per source.
   */
  async apply(events: readonly StreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    const steps = plan(events);
    const deliveries = steps.flatMap((step) => (step.kind === 'answer' ? [step.delivery] : []));
    deliveries.filter((delivery) => delivery.complete).forEach((delivery) => this.#polledAt.delete(delivery.queryId));
    let gap = false;
    const { db } = this.deps;
    await this.deps.alerts.deliver(deliveries, {
      tables: [db.settings, db.bolos, db.confirmations],
      write: async () => {
        const raised: AlertRecord[] = [];
        for (const step of steps) {
          if (step.kind === 'bolo') {
            const alert = await this.deps.bolos.receive(step.bolo);
            if (alert) raised.push(alert);
          } else if (step.kind === 'confirmation') await recordConfirmationAnswer(db, step.answer);
          else if (step.kind === 'gap') gap = true;
        }
        // The stream position is written once, with the batch: the batch commits as one.
        const position = events.at(-1)!.id;
        if (position !== undefined) await db.settings.put({ key: 'streamCursor', value: position });
        return raised;
      },
    });
    if (gap) {
      this.#pollAll = true;
      void this.pollOpen();
    }
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
            await this.deps.alerts.deliver({ queryId: entry.id, switchQueryId: status.queryId, receivedAt: status.receivedAt, parts: status.parts, complete: status.complete });
          }
        }
      }
    } finally {
      this.#polling = false;
    }
  }
}

type Step =
  | { kind: 'answer'; delivery: PartDelivery }
  | { kind: 'bolo'; bolo: Bolo }
  | { kind: 'confirmation'; answer: ConfirmationAnswer }
  | { kind: 'gap' };

/**
 * What one read of the stream comes to, in order: each query's parts and completion merged into one
 * delivery (at the place of its first event), broadcasts, YRs and gaps as they came. An event this
 * terminal cannot read is skipped, not retried forever; its position is still kept with the batch.
 */
function plan(events: readonly StreamEvent[]): Step[] {
  const steps: Step[] = [];
  const answers = new Map<string, { kind: 'answer'; delivery: PartDelivery }>();
  const answer = (queryId: string, switchQueryId: string, receivedAt: string, parts: PartDelivery['parts'], complete: boolean) => {
    // The arrival mark carries only the query's UUID: it is what `npm run bench` times alerts from.
    markAnswerArrived(queryId);
    const held = answers.get(queryId);
    if (!held) {
      const step = { kind: 'answer' as const, delivery: { queryId, switchQueryId, receivedAt, parts: [...parts], complete } };
      answers.set(queryId, step);
      steps.push(step);
      return;
    }
    // A 'complete' repeats every part: a source already held is not added twice.
    const merged = [...held.delivery.parts, ...newParts(held.delivery.parts, parts)];
    held.delivery = { queryId, switchQueryId, receivedAt, parts: merged, complete: held.delivery.complete || complete };
  };
  for (const event of events) {
    const data = parse(event.data);
    switch (event.type) {
      case 'part': {
        const parsed = PartEvent.safeParse(data);
        if (parsed.success) answer(parsed.data.idempotencyKey, parsed.data.queryId, parsed.data.receivedAt, [parsed.data.part], false);
        break;
      }
      case 'complete': {
        const parsed = CompleteEvent.safeParse(data);
        if (parsed.success) answer(parsed.data.idempotencyKey, parsed.data.queryId, parsed.data.receivedAt, parsed.data.parts, true);
        break;
      }
      case 'bolo': {
        const parsed = Bolo.safeParse(data);
        if (parsed.success) steps.push({ kind: 'bolo', bolo: parsed.data });
        break;
      }
      case 'confirmation': {
        const parsed = ConfirmationAnswer.safeParse(data);
        if (parsed.success) steps.push({ kind: 'confirmation', answer: parsed.data });
        break;
      }
      case 'gap':
        if (GapEvent.safeParse(data).success) steps.push({ kind: 'gap' });
        break;
    }
  }
  return steps;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
