// A drill clock for unit tests: time stands still until the test moves it.
import type { DrillClock } from '../../src-switch/drill/drill-player.ts';

/** Timers due on the way fire in order, each one's work done before the next. */
export class FakeClock implements DrillClock {
  #now = 0;
  #timers = new Set<{ at: number; run: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimer(run: () => void, ms: number): () => void {
    const timer = { at: this.#now + ms, run };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  async advanceTo(seconds: number): Promise<void> {
    const until = seconds * 1000;
    for (;;) {
      const due = [...this.#timers].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.#now = due.at;
      due.run();
      // Lets the step's asynchronous work finish at this moment, as it would on a real clock.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#now = until;
  }
}
