// Sends YQ requests to the switch (leader window only), asks again when the agency is overdue, and resends what the link dropped.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { liveQuery } from 'dexie';
import type { ConfirmationRequest } from '../../src-shared/confirmation.ts';
import { IDEMPOTENCY_HEADER, paths } from '../../src-shared/protocol.ts';
import type { Confirmation, OutriderDb } from '../db/database.ts';
import { askAgainOverdue } from './confirmations.ts';


export interface ConfirmationSenderDeps {
  db: OutriderDb;
  baseUrl: string;
  terminal: Promise<string>;
  link: { readonly canSend: boolean; onChange(listener: () => void): () => void };
  fetcher?: typeof fetch;
  clock?: () => Date;
}

/** Each ask is its own request with its own key: a resend of the same ask is a replay at the switch, never a second YQ. */
export const requestKey = (request: Confirmation) => `${request.id}-${request.attempts}`;

export class ConfirmationSender {
  /** Asks the switch has taken (its 202), by request key. A restart forgets them: the resend is then a harmless replay. */
  readonly #sent = new Set<string>();
  readonly #sending = new Set<string>();

  constructor(private readonly deps: ConfirmationSenderDeps) {}

  start(): () => void {
    const { db } = this.deps;
    const timer = setInterval(() => void this.tick(), FIELD_CONFIG.confirmationTickMs);
    const unlisten = this.deps.link.onChange(() => void this.sendWaiting());
    const watch = liveQuery(() => db.confirmations.where('dueAt').above('').toArray()).subscribe(() => void this.sendWaiting());
    return () => {
      clearInterval(timer);
      unlisten();
      watch.unsubscribe();
    };
  }

  async tick(): Promise<void> {
    await askAgainOverdue(this.deps.db, (this.deps.clock ?? (() => new Date()))());
    await this.sendWaiting();
  }

  /** Sends every request still waiting for the switch to take it. */
  async sendWaiting(): Promise<void> {
    if (!this.deps.link.canSend) return;
    const waiting = (await this.deps.db.confirmations.toArray()).filter((request) => request.status === 'requested' && !this.#sent.has(requestKey(request)));
    await Promise.all(waiting.map((request) => this.#send(request)));
  }

  async #send(request: Confirmation): Promise<void> {
    const key = requestKey(request);
    if (this.#sending.has(key)) return;
    this.#sending.add(key);
    try {
      const body: ConfirmationRequest = { queryId: request.queryId, priority: request.priority, terminal: await this.deps.terminal };
      const response = await (this.deps.fetcher ?? fetch)(`${this.deps.baseUrl}${paths.confirmations}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(FIELD_CONFIG.confirmationTimeoutMs),
      });
      // A refusal the switch would repeat (a bad request) is not retried every second; the countdown still asks again.
      const final = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      if (response.status === 202 || final) this.#sent.add(key);
    } catch {
      // The link dropped it: the next tick sends it again with the same key.
    } finally {
      this.#sending.delete(key);
    }
  }

  /** Whether the switch has taken this ask: for tests and the drill report. */
  sent(request: Confirmation): boolean {
    return this.#sent.has(requestKey(request));
  }
}

/** The leader's YQ desk: sends requests, asks again when overdue. The dialog's buttons reach the database through provideConfirmationDb. */
export function startConfirmations(deps: ConfirmationSenderDeps): () => void {
  return new ConfirmationSender(deps).start();
}
