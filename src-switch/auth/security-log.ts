// What the switch saw that an agency's security officer must hear of: lockouts, throttled addresses, a
// replaced token used again, an audit trail started over. Kept in the store for the admin port; never any CJI.
import { randomBytes } from 'node:crypto';
import type { SwitchStore } from '../store/store.ts';
export type SecurityEventKind = 'account_locked' | 'address_throttled' | 'token_replayed' | 'account_released' | 'audit_restarted';

export interface SecurityEvent {
  at: string;
  kind: SecurityEventKind;
  officer?: string;
  terminal?: string;
  address?: string;
  message: string;
}

const SECURITY = 'security';
/** Kept a year, as CJIS keeps audit records (AU-11). */
const KEPT_MS = 365 * 24 * 3_600_000;
/** The most the admin's list shows. */
const LISTED = 1_000;

export class SecurityLog {
  constructor(private readonly store: SwitchStore) {}

  async record(event: SecurityEvent): Promise<void> {
    const key = `${event.at}-${randomBytes(4).toString('hex')}`;
    await this.store.update<SecurityEvent, void>(SECURITY, key, () => ({ next: event, expiresAt: Date.parse(event.at) + KEPT_MS, result: undefined }));
  }

  /** Newest first. */
  async list(): Promise<SecurityEvent[]> {
    return (await this.store.list<SecurityEvent>(SECURITY))
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, LISTED)
      .map(([, event]) => event);
  }
}
