// A coarse shared clock, so every "2 min ago" on screen moves on together without a timer per row.
/** Ages are shown to the minute: a tick every quarter-minute keeps them at most that far behind. */
const TICK_MS = 15_000;

class Clock {
  now = $state(Date.now());

  constructor() {
    setInterval(() => (this.now = Date.now()), TICK_MS);
  }
}

export const clock = new Clock();
