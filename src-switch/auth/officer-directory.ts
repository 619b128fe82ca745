// Who may sign in, and the CJIS lockout: passwords kept only as scrypt hashes, one-time codes checked with
// otpauth, and five failures in fifteen minutes locking an account until an administrator releases it.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TOTP } from 'otpauth';
import { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS, type Officer, type OfficerStatus } from '../../src-shared/auth.ts';
import type { DrillOfficer } from '../drill-officers.ts';

interface Account {
  officer: Officer;
  salt: Buffer;
  /** Computed off the event loop at start-up; the plain password is not kept. */
  hash: Promise<Buffer>;
  totp: TOTP;
  /** Times of the failures since the last success or release, oldest first. */
  failures: number[];
  lockedAt?: Date;
  /** How many times the account has been locked since the switch started: sessions from before a lock end with it. */
  locks: number;
}

export type SignInCheck =
  | { ok: true; officer: Officer; locks: number }
  | { ok: false; reason: 'credentials'; attemptsLeft?: number }
  | { ok: false; reason: 'locked' };

const HASH_BYTES = 32;

/** scrypt with Node's defaults (N = 16384, r = 8): about 50 ms, in the thread pool so other terminals are not held up. */
function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, HASH_BYTES, (error, hash) => (error ? reject(error) : resolve(hash))));
}

/** An unknown officer ID costs the same hash as a known one, so the time taken does not tell which IDs exist. */
const UNKNOWN_SALT = randomBytes(16);

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
        locks: 0,
      });
    }
  }

  /** Checks password and code; a wrong one counts toward the lockout, the same answer whichever was wrong. */
  async check(officerId: string, password: string, code: string, now: Date): Promise<SignInCheck> {
    const account = this.#accounts.get(officerId);
    const [given, held] = await Promise.all([hashPassword(password, account?.salt ?? UNKNOWN_SALT), account?.hash]);
    // Everything below runs without a pause: two sign-ins at once cannot both slip past a lock.
    if (!account || !held) return { ok: false, reason: 'credentials' };
    if (account.lockedAt) return { ok: false, reason: 'locked' };
    const passwordOk = timingSafeEqual(given, held);
    const codeOk = account.totp.validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
    if (passwordOk && codeOk) {
      account.failures = [];
      return { ok: true, officer: account.officer, locks: account.locks };
    }
    const time = now.getTime();
    account.failures = [...this.#recent(account, time), time];
    if (account.failures.length >= LOCKOUT_FAILURES) {
      account.lockedAt = now;
      account.locks++;
      return { ok: false, reason: 'locked' };
    }
    return { ok: false, reason: 'credentials', attemptsLeft: LOCKOUT_FAILURES - account.failures.length };
  }

  officer(officerId: string): Officer | undefined {
    return this.#accounts.get(officerId)?.officer;
  }

  /**
   * Whether a session signed in when the account had been locked `locks` times still stands: not while it is
   * locked, nor after a lock that came later. A restarted switch counts from 0 again, so it keeps every session.
   */
  sessionStands(officerId: string, locks: number): boolean {
    const account = this.#accounts.get(officerId);
    return account !== undefined && account.lockedAt === undefined && locks >= account.locks;
  }

  /** The administrator's release: unlocked, the count started again. Undefined for an unknown officer. */
  release(officerId: string, now: Date): OfficerStatus | undefined {
    const account = this.#accounts.get(officerId);
    if (!account) return undefined;
    account.lockedAt = undefined;
    account.failures = [];
    return this.#status(account, now.getTime());
  }

  statuses(now: Date): OfficerStatus[] {
    return [...this.#accounts.values()].map((account) => this.#status(account, now.getTime()));
  }

  /** Failures that still count toward a lockout at `time`. */
  #recent(account: Account, time: number): number[] {
    return account.failures.filter((at) => time - at < LOCKOUT_WINDOW_MS);
  }

  #status(account: Account, time: number): OfficerStatus {
    return {
      id: account.officer.id,
      name: account.officer.name,
      locked: account.lockedAt !== undefined,
      ...(account.lockedAt ? { lockedAt: account.lockedAt.toISOString() } : {}),
      // A locked account shows the failures that locked it, however long ago.
      failures: account.lockedAt ? account.failures.length : this.#recent(account, time).length,
    };
  }
}
