// A coarse shared clock, so every "2 min ago" on screen moves on together without a timer per row.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

class Clock {
  now = $state(Date.now());

  constructor() {
    setInterval(() => (this.now = Date.now()), FIELD_CONFIG.clockTickMs);
  }
}

export const clock = new Clock();
