// "7 of 20 sent": progress through the backlog that built up while the link was down.
import { throttledQuery } from '../db/throttled-query.ts';
import type { OutriderDb } from '../db/database.ts';
import { AWAITING_ANSWER, countStatuses } from '../outbox/status-count.ts';

export class DrainProgress {
  waiting = $state(0);
  sent = $state(0);
  /** Queries in this backlog: those answered since it started plus those still waiting. */
  total = $derived(this.sent + this.waiting);
  /** Worth a bar only when there is a backlog, not for the single query just typed. */
  visible = $derived(this.waiting > 0 && this.total > 1);

  /** Counts answers since the current backlog began; none until the first one. */
  #sentQuery: { unsubscribe(): void } | undefined;

  constructor(private readonly db: OutriderDb) {}

  start(): () => void {
    const waiting = throttledQuery(this.db, ['outbox'], () => countStatuses(this.db, AWAITING_ANSWER)).subscribe((count) => {
      // A new backlog starts when the queue goes from empty to not empty (or when this window opens).
      if ((this.waiting === 0 && count > 0) || !this.#sentQuery) this.#startBatch();
      this.waiting = count;
    });
    return () => {
      waiting.unsubscribe();
      this.#sentQuery?.unsubscribe();
    };
  }

  #startBatch(): void {
    // A timestamp string, not reactive state: a plain Date is right here.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const since = new Date().toISOString();
    this.#sentQuery?.unsubscribe();
    this.#sentQuery = throttledQuery(this.db, ['outbox'], () => this.db.outbox.where('answeredAt').aboveOrEqual(since).count()).subscribe((count) => {
      this.sent = count;
    });
  }
}
