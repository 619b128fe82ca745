// Drains the outbox whenever the switch is reachable: most urgent first, a bounded number in flight.
import type { IndexableType } from 'dexie';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { Source } from '../../src-shared/protocol.ts';
import type { AlertRaiser } from '../alerts/alert-raiser.ts';
import { wholeAnswer } from '../answers/answer-store.ts';
import type { OutboxEntry } from '../db/database.ts';
import type { Claimed, Outbox } from '../outbox/outbox.ts';
import { markAnswerArrived } from '../perf-marks.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { SendOutcome } from './switch-client.ts';
import { WriteBatches } from './write-batches.ts';

export interface SyncDeps {
  outbox: Pick<Outbox, 'reserve' | 'giveBack' | 'next' | 'acceptAll' | 'fail' | 'requeue' | 'recoverInterrupted'>;
  send: (entry: OutboxEntry) => Promise<SendOutcome>;
  link: { readonly canSend: boolean; reportSuccess(): void; reportTrouble(reason: string): void; reportFailure(reason: string): void };
  alerts: Pick<AlertRaiser, 'sending' | 'deliver' | 'forgetSent'>;
  maxInFlight?: number;
  random?: () => number;
  /** Backoff after a failed send; the field default unless a test needs another. */
  backoff?: BackoffPolicy;
}

export class SyncEngine {
  #inFlight = 0;
  #pumping = false;
  #again = false;
  #failures = 0;
  #holdUntil = 0;
  /** Whether the hold was asked for by the switch (Retry-After): a returning link does not lift that one. */
  #holdFromSwitch = false;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #maxInFlight: number;
  /** The switch's 202s, stored together when they land together: one transaction, not one per query. */
  readonly #accepts: WriteBatches<{ id: string; sources: Source[] }>;
  /**
   * Claimed ahead (marked sending, not sent yet), most urgent first: a slot that frees sends the next at once
   * instead of waiting on a claim's read-write transaction, and one claim serves several sends.
   */
  #ahead: Claimed[] = [];
  /** The queue changed since the entries claimed ahead were compared with it: a more urgent one may be waiting. */
  #queueChanged = false;
  /** Comparing them now: nothing claimed ahead is sent until the comparison is done. */
  #comparing = false;
  /** Entries this engine claimed and has not yet heard back on: a change to these alone is its own claim. */
  readonly #claimedHere = new Set<IndexableType>();

  constructor(private readonly deps: SyncDeps) {
    this.#maxInFlight = deps.maxInFlight ?? FIELD_CONFIG.maxInFlight;
    this.#accepts = new WriteBatches((accepted) => deps.outbox.acceptAll(accepted));
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * A query joined the queue (entered, requeued, retried), or left it: one joining may have to go before those
   * claimed ahead. `ids` are the rows changed when known; a change to rows this engine just claimed is its own.
   */
  queueChanged(ids: readonly IndexableType[] | 'all' = 'all'): void {
    if (ids !== 'all' && ids.every((id) => this.#claimedHere.has(id))) return;
    this.#queueChanged = true;
    void this.wake();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#holdTimer);
  }

  /** This window starts or stops sending: nothing is in flight any more, and the intake is taken in. */
  async recover(): Promise<number> {
    // Claimed but never sent: back as they were; anything else still 'sending' is requeued below.
    await this.#giveBack().catch(() => undefined);
    this.deps.alerts.forgetSent();
    return this.deps.outbox.recoverInterrupted();
  }

  /**
   * The link came back after being down: a backoff built up against a dead link is lifted at once, so the
   * queue goes the moment the switch answers. A Retry-After the switch asked for still holds.
   */
  linkRestored(): void {
    if (this.#holdFromSwitch && Date.now() < this.#holdUntil) return;
    this.#holdUntil = 0;
    this.#failures = 0;
    clearTimeout(this.#holdTimer);
    void this.wake();
  }

  /** Called on enqueue, on every link change and after every answer; cheap when there is nothing to do. */
  async wake(): Promise<void> {
    // A slot freed by an answer takes the next entry claimed ahead now, not after the pump's claim in progress.
    this.#sendAhead();
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        await this.#fill();
      } while (this.#again);
    } catch {
      // Storage refused the claim (closed, blocked by an upgrade, full): nothing was sent, so try later.
      if (!this.#stopped) this.#holdAfterFailure();
    } finally {
      this.#pumping = false;
    }
  }

  async #fill(): Promise<void> {
    while (!this.#stopped) {
      // A dead link or a hold: what was claimed ahead goes back to the queue, where the officer sees it queued.
      if (!this.deps.link.canSend) return this.#giveBack();
      // Still holding after a failure: make sure a wake is set for when the hold ends (a timer can fire a
      // millisecond early by Date.now(), and a hold with no timer behind it would stall the queue).
      const holding = this.#holdUntil - Date.now();
      if (holding > 0) {
        this.#wakeIn(holding);
        return this.#giveBack();
      }
      if (this.#queueChanged) {
        this.#queueChanged = false;
        this.#comparing = true;
        try {
          if (await this.#behindTheQueue()) await this.#giveBack();
        } finally {
          this.#comparing = false;
        }
      }
      this.#sendAhead();
      // Claims ahead in batches: once half the slots' worth is left, up to twice the slots' worth more.
      if (this.#ahead.length * 2 > this.#maxInFlight) return;
      const want = this.#maxInFlight - this.#inFlight + 2 * this.#maxInFlight - this.#ahead.length;
      const claimed = await this.deps.outbox.reserve(want, (claims) => claims.forEach((each) => this.#claimedHere.add(each.entry.id)));
      if (claimed.length === 0) return;
      await this.deps.alerts.sending(claimed.map((each) => each.entry));
      this.#ahead = [...this.#ahead, ...claimed].sort(urgentFirst);
    }
  }

  /** Sends entries claimed ahead into free slots, unless the queue changed and has not been compared yet. */
  #sendAhead(): void {
    if (this.#queueChanged || this.#comparing || this.#stopped || !this.deps.link.canSend || Date.now() < this.#holdUntil) return;
    while (this.#inFlight < this.#maxInFlight && this.#ahead.length > 0) void this.#deliver(this.#ahead.shift()!.entry);
  }

  /** Whether a queued entry should go before the last one claimed ahead. */
  async #behindTheQueue(): Promise<boolean> {
    const last = this.#ahead.at(-1);
    if (!last) return false;
    const next = await this.deps.outbox.next();
    return next !== undefined && urgentFirst({ entry: next }, last) < 0;
  }

  /** Gives back everything claimed ahead; if storage refuses, they stay claimed here, to be sent. */
  async #giveBack(): Promise<void> {
    if (this.#ahead.length === 0) return;
    const back = this.#ahead;
    this.#ahead = [];
    back.forEach((each) => this.#claimedHere.delete(each.entry.id));
    try {
      await this.deps.outbox.giveBack(back);
    } catch (error) {
      back.forEach((each) => this.#claimedHere.add(each.entry.id));
      this.#ahead = [...this.#ahead, ...back].sort(urgentFirst);
      throw error;
    }
  }

  async #deliver(entry: OutboxEntry): Promise<void> {
    this.#inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      void this.wake();
    };
    try {
      const outcome = await this.deps.send(entry);
      // From here its changes (a requeue above all) are news to compare with what is claimed ahead.
      this.#claimedHere.delete(entry.id);
      // The switch took it: the slot is free for the next query while this one is written down. After a
      // failure the slot stays held until the hold is set, so the next claim cannot race past the backoff.
      if (outcome.kind === 'accepted' || outcome.kind === 'answered') release();
      await this.#settle(entry, outcome);
    } catch (error) {
      // Storing the answer failed after the send: back to the queue (or, if even that fails, left
      // "sending" for start-up recovery). The switch's idempotency record makes the resend a replay.
      await this.deps.outbox.requeue(entry.id, `Could not store the answer: ${(error as Error).message}`).catch(() => undefined);
    } finally {
      this.#claimedHere.delete(entry.id);
      release();
    }
  }

  async #settle(entry: OutboxEntry, outcome: SendOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'answered': {
        markAnswerArrived(entry.id);
        this.#failures = 0;
        this.deps.link.reportSuccess();
        await this.deps.alerts.deliver(wholeAnswer(entry.id, outcome.answer));
        return;
      }
      case 'accepted':
        // The switch has it; the parts come on the event stream (or the poll fallback).
        this.#failures = 0;
        this.deps.link.reportSuccess();
        await this.#accepts.add({ id: entry.id, sources: outcome.accepted.sources });
        return;
      case 'rejected':
        this.#failures = 0;
        this.deps.link.reportSuccess();
        await this.deps.outbox.fail(entry.id, outcome.reason);
        return;
      case 'transient':
        await this.deps.outbox.requeue(entry.id, outcome.reason);
        if (outcome.linkDown) this.deps.link.reportFailure(outcome.reason);
        else this.deps.link.reportTrouble(outcome.reason);
        // A probe may find the switch at once (a lost acknowledgement leaves health intact), so the
        // engine keeps its own backoff rather than resending in a tight loop.
        this.#holdAfterFailure(outcome.retryAfterMs);
    }
  }

  /** After a failed send, pause all sending with backoff (or Retry-After): a sick switch must not be hammered. */
  #holdAfterFailure(retryAfterMs?: number): void {
    // Several queries in flight failing together are one failure of the link, not several.
    if (Date.now() >= this.#holdUntil) this.#failures++;
    const delay =
      retryAfterMs ??
      backoffDelay(this.#failures, this.deps.backoff ?? { baseMs: FIELD_CONFIG.probeBackoffBaseMs, capMs: FIELD_CONFIG.probeBackoffCapMs }, this.deps.random);
    const until = Date.now() + delay;
    if (until >= this.#holdUntil) this.#holdFromSwitch = retryAfterMs !== undefined;
    this.#holdUntil = Math.max(this.#holdUntil, until);
    this.#wakeIn(this.#holdUntil - Date.now());
  }

  #wakeIn(ms: number): void {
    clearTimeout(this.#holdTimer);
    if (this.#stopped) return;
    this.#holdTimer = setTimeout(() => void this.wake(), Math.max(1, ms));
  }
}

/** Claim order: most urgent lane first, then oldest. */
function urgentFirst(a: { entry: OutboxEntry }, b: { entry: OutboxEntry }): number {
  return a.entry.lane - b.entry.lane || a.entry.seq - b.entry.seq;
}
