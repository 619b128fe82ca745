// Collects answers the switch accepted: parts from the event stream as they come, and a poll for anything the stream missed.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { Bolo, CompleteEvent, ConfirmationAnswer, GapEvent, PartEvent } from '../../src-shared/protocol.ts';
import { recordConfirmationAnswer } from '../confirm/confirmations.ts';
import type { StreamEvent } from '../../src-shared/sse.ts';
import type { AlertRecord, OutriderDb } from '../db/database.ts';
import { type Outbox, type PartDelivery, shownAlready } from '../outbox/outbox.ts';
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
  /** An alert shown from memory turned out not to be stored (its query had gone): it is taken off the screen. */
  onRetract?(id: string): void;
  /** Told of each write that may store an alert already shown from memory: an acknowledgement waits for it. */
  track?<T>(write: Promise<T>): Promise<T>;
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
   * position with them, so a resume never skips or repeats one. A hit on a query this window sent is
   * announced before that transaction, from memory (Outbox.preview); other alerts once it has committed.
   *
   * A query's parts and its `complete` often arrive in the same read: they are merged and stored in one
   * step per query, so the alert a hit raises waits for one write of the answer, not one per source.
   */
  async apply(events: readonly StreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    const steps = plan(events);
    // A hit on a query this window sent is shown now, from memory; storing it follows.
    const shown = new Map<string, AlertRecord>();
    for (const step of steps) {
      const early = step.kind === 'answer' ? this.deps.outbox.preview(step.key, step.delivery) : undefined;
      if (early) {
        shown.set(early.id, early);
        this.deps.onAlert(early);
      }
    }
    const raised: AlertRecord[] = [];
    let gap = false;
    const { db } = this.deps;
    const write = db.transaction('rw', [db.outbox, db.answers, db.alerts, db.audit, db.settings, db.bolos, db.confirmations], async () => {
      for (const step of steps) {
        const outcome = await this.#applyStep(step);
        if (outcome === 'gap') gap = true;
        else if (outcome) raised.push(outcome);
      }
      // The stream position is written once, with the batch: the batch commits as one.
      const position = events.at(-1)!.id;
      if (position !== undefined) await db.settings.put({ key: 'streamCursor', value: position });
    });
    await (this.deps.track ? this.deps.track(write) : write);
    // Announced once: an alert already on screen from memory, stored as shown, is not announced again.
    raised.filter((alert) => !shownAlready(shown.get(alert.id), alert)).forEach((alert) => this.deps.onAlert(alert));
    await this.#retractUnstored([...shown.keys()].filter((id) => !raised.some((alert) => alert.id === id)));
    if (gap) {
      this.#pollAll = true;
      void this.pollOpen();
    }
  }

  async #applyStep(step: Step): Promise<AlertRecord | 'gap' | undefined> {
    switch (step.kind) {
      case 'answer':
        if (step.delivery.complete) this.#polledAt.delete(step.key);
        return this.deps.outbox.recordParts(step.key, step.delivery);
      case 'bolo':
        return this.deps.bolos.receive(step.bolo);
      case 'confirmation':
        // The agency's YR: stored with the stream position, like any event that raises no alert.
        await recordConfirmationAnswer(this.deps.db, step.answer);
        return undefined;
      case 'gap':
        return 'gap';
    }
  }

  /** Alerts shown from memory whose storing raised nothing: taken off the screen if storage does not hold them. */
  async #retractUnstored(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || !this.deps.onRetract) return;
    const stored = await this.deps.db.alerts.bulkGet([...ids]);
    ids.forEach((id, i) => {
      if (!stored[i]) this.deps.onRetract!(id);
    });
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

type Step =
  | { kind: 'answer'; key: string; delivery: PartDelivery }
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
  const answers = new Map<string, { kind: 'answer'; key: string; delivery: PartDelivery }>();
  const answer = (key: string, switchQueryId: string, receivedAt: string, parts: PartDelivery['parts'], complete: boolean) => {
    // The arrival mark carries only the query's UUID: it is what `npm run bench` times alerts from.
    markAnswerArrived(key);
    const held = answers.get(key);
    if (!held) {
      const step = { kind: 'answer' as const, key, delivery: { switchQueryId, receivedAt, parts: [...parts], complete } };
      answers.set(key, step);
      steps.push(step);
      return;
    }
    // A 'complete' repeats every part: a source already held is not added twice (recordParts keeps the first).
    const known = new Set(held.delivery.parts.map((part) => part.source));
    held.delivery = {
      switchQueryId,
      receivedAt,
      parts: [...held.delivery.parts, ...parts.filter((part) => !known.has(part.source))],
      complete: held.delivery.complete || complete,
    };
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
