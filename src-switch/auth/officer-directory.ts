// Who may sign in, and the CJIS lockout: passwords kept only as scrypt hashes, one-time codes checked with
// otpauth and each accepted once, and five failures in fifteen minutes locking an account until an
// administrator releases it. An officer ID the switch does not know is counted and locked the same way, so
// neither the answer nor its timing tells which IDs exist.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TOTP } from 'otpauth';
import { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS, type Officer, type OfficerStatus } from '../../src-shared/auth.ts';
import type { DrillOfficer } from '../drill-officers.ts';

interface Attempts {
  /** Times of the failures since the last success or release, oldest first. */
  failures: number[];
  lockedAt?: Date;
}

interface Account extends Attempts {
  officer: Officer;
  salt: Buffer;
  /** Computed off the event loop at start-up; the plain password is not kept. */
  hash: Promise<Buffer>;
  totp: TOTP;
  /** The last time step whose code signed this officer in: a code is good once (RFC 6238 section 5.2). */
  lastStep: number;
}

export type SignInCheck = { ok: true; officer: Officer } | { ok: false; reason: 'credentials'; attemptsLeft: number } | { ok: false; reason: 'locked' };

const HASH_BYTES = 32;
const TOTP_PERIOD_S = 30;
/** Unknown IDs whose failures are counted; the oldest is forgotten first past this many. */
const UNKNOWN_KEPT = 10_000;

/** scrypt with Node's defaults (N = 16384, r = 8): about 50 ms, in the thread pool so other terminals are not held up. */
function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, HASH_BYTES, (error, hash) => (error ? reject(error) : resolve(hash))));
}

/** An unknown officer ID costs the same hash as a known one, so the time taken does not tell which IDs exist. */
const UNKNOWN_SALT = randomBytes(16);

export class OfficerDirectory {
  readonly #accounts = new Map<string, Account>();
  readonly #unknown = new Map<string, Attempts>();

  constructor(officers: readonly DrillOfficer[]) {
    for (const { id, name, unit, password, totpSecret } of officers) {
      const salt = randomBytes(16);
      this.#accounts.set(id, {
        officer: { id, name, unit },
        salt,
        hash: hashPassword(password, salt),
        totp: new TOTP({ secret: totpSecret, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_S }),
        failures: [],
        lastStep: -1,
      });
    }
  }

  /** Checks password and code; a wrong one counts toward the lockout, the same answer whichever was wrong. */
  async check(officerId: string, password: string, code: string, now: Date): Promise<SignInCheck> {
    const account = this.#accounts.get(officerId);
    const [given, held] = await Promise.all([hashPassword(password, account?.salt ?? UNKNOWN_SALT), account?.hash]);
    // Everything below runs without a pause: two sign-ins at once cannot both slip past a lock or use one code.
    const attempts = account ?? this.#unknownAttempts(officerId);
    if (attempts.lockedAt) return { ok: false, reason: 'locked' };
    if (account && held && timingSafeEqual(given, held)) {
      const delta = account.totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
      const step = delta === null ? undefined : Math.floor(now.getTime() / (TOTP_PERIOD_S * 1000)) + delta;
      // A code already used is refused like a wrong one: whoever replays it learns nothing more.
      if (step !== undefined && step > account.lastStep) {
        account.lastStep = step;
        account.failures = [];
        return { ok: true, officer: account.officer };
      }
    }
    const time = now.getTime();
    attempts.failures = [...recent(attempts, time), time];
    if (attempts.failures.length >= LOCKOUT_FAILURES) {
      attempts.lockedAt = now;
      return { ok: false, reason: 'locked' };
    }
    return { ok: false, reason: 'credentials', attemptsLeft: LOCKOUT_FAILURES - attempts.failures.length };
  }

  officer(officerId: string): Officer | undefined {
    return this.#accounts.get(officerId)?.officer;
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

  #unknownAttempts(officerId: string): Attempts {
    let attempts = this.#unknown.get(officerId);
    if (!attempts) {
      this.#unknown.set(officerId, (attempts = { failures: [] }));
      if (this.#unknown.size > UNKNOWN_KEPT) this.#unknown.delete(this.#unknown.keys().next().value!);
    }
    return attempts;
  }

  #status(account: Account, time: number): OfficerStatus {
    return {
      id: account.officer.id,
      name: account.officer.name,
      locked: account.lockedAt !== undefined,
      ...(account.lockedAt ? { lockedAt: account.lockedAt.toISOString() } : {}),
      // A locked account shows the failures that locked it, however long ago.
      failures: account.lockedAt ? account.failures.length : recent(account, time).length,
    };
  }
}

/** Failures that still count toward a lockout at `time`. */
function recent(attempts: Attempts, time: number): number[] {
  return attempts.failures.filter((at) => time - at < LOCKOUT_WINDOW_MS);
}
