// Writes that arrive while the last one is being stored go together in the next: one transaction for a burst.

/**
 * Items written in batches, one batch at a time: whatever is added while a batch is being written goes in the
 * next, whole. With nothing under way an item is written at once, alone; under a burst (a backlog draining, four
 * replies landing together) a transaction carries many. Each `add` resolves when its own batch is stored and
 * rejects if that batch failed, so the caller handles its item as it would a write of its own.
 */
export class WriteBatches<T> {
  #waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  #running = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting;
        this.#waiting = [];
        try {
          await this.write(batch.map((each) => each.item));
          batch.forEach((each) => each.resolve());
        } catch (error) {
          batch.forEach((each) => each.reject(error));
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
