// Who may sign in, and the CJIS lockout: passwords kept only as scrypt hashes, one-time codes checked with
// otpauth, and five failures in fifteen minutes locking an account until an administrator releases it.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { TOTP } from 'otpauth';
import { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS, type Officer, type OfficerStatus } from '../../src-shared/auth.ts';
import type { DrillOfficer } from '../drill-officers.ts';

interface Account {
  officer: Officer;
  salt: Buffer;
  hash: Buffer;
  totp: TOTP;
  /** Times of the failures since the last success, oldest first. */
  failures: number[];
  lockedAt?: Date;
}

export type SignInCheck =
  | { ok: true; officer: Officer }
  | { ok: false; reason: 'credentials'; attemptsLeft?: number }
  | { ok: false; reason: 'locked' };

const hashPassword = (password: string, salt: Buffer) => scryptSync(password, salt, 32);

export class OfficerDirectory {
  readonly #accounts = new Map<string, Account>();

  constructor(officers: readonly DrillOfficer[]) {
    for (const { id, name, unit, password, totpSecret } of officers) {
      const salt = randomBytes(16);
      this.#accounts.set(id, {
        officer: { id, name, unit },
        salt,
        hash: hashPassword(password, salt),
        totp: new TOTP({ secret: totpSecret, algorithm: 'SHA1', digits: 6, period: 30 }),
        failures: [],
      });
    }
  }

  /** Checks password and code; a wrong one counts toward the lockout, the same answer whichever was wrong. */
  check(officerId: string, password: string, code: string, now: Date): SignInCheck {
    const account = this.#accounts.get(officerId);
    if (!account) return { ok: false, reason: 'credentials' };
    if (account.lockedAt) return { ok: false, reason: 'locked' };
    const passwordOk = timingSafeEqual(hashPassword(password, account.salt), account.hash);
    const codeOk = account.totp.validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
    if (passwordOk && codeOk) {
      account.failures = [];
      return { ok: true, officer: account.officer };
    }
    const time = now.getTime();
    account.failures = [...account.failures.filter((at) => time - at < LOCKOUT_WINDOW_MS), time];
    if (account.failures.length >= LOCKOUT_FAILURES) {
      account.lockedAt = now;
      return { ok: false, reason: 'locked' };
    }
    return { ok: false, reason: 'credentials', attemptsLeft: LOCKOUT_FAILURES - account.failures.length };
  }

  officer(officerId: string): Officer | undefined {
    return this.#accounts.get(officerId)?.officer;
  }

  isLocked(officerId: string): boolean {
    return this.#accounts.get(officerId)?.lockedAt !== undefined;
  }

  /** The administrator's release: unlocked, the count started again. Undefined for an unknown officer. */
  release(officerId: string): OfficerStatus | undefined {
    const account = this.#accounts.get(officerId);
    if (!account) return undefined;
    account.lockedAt = undefined;
    account.failures = [];
    return this.#status(account);
  }

  statuses(): OfficerStatus[] {
    return [...this.#accounts.values()].map((account) => this.#status(account));
  }

  #status(account: Account): OfficerStatus {
    return {
      id: account.officer.id,
      name: account.officer.name,
      locked: account.lockedAt !== undefined,
      ...(account.lockedAt ? { lockedAt: account.lockedAt.toISOString() } : {}),
      failures: account.failures.length,
    };
  }
}
