// What the switch saw that an agency's security officer must hear of: lockouts, throttled addresses, a
// replaced token used again, an audit trail started over. Kept for the admin port; never any CJI.
export type SecurityEventKind = 'account_locked' | 'address_throttled' | 'token_replayed' | 'account_released' | 'audit_restarted';

export interface SecurityEvent {
  at: string;
  kind: SecurityEventKind;
  officer?: string;
  terminal?: string;
  address?: string;
  message: string;
}

/** Events kept; the oldest go first. */
const EVENTS_KEPT = 1_000;

export class SecurityLog {
  readonly #events: SecurityEvent[] = [];

  record(event: SecurityEvent): void {
    this.#events.push(event);
    if (this.#events.length > EVENTS_KEPT) this.#events.shift();
  }

  /** Newest first. */
  list(): SecurityEvent[] {
    return [...this.#events].reverse();
  }
}
