// Who may sign in, and the CJIS lockout: passwords kept only as scrypt hashes, one-time codes checked with
// otpauth and each accepted once, and five failures in fifteen minutes locking an account until an
// administrator releases it. An officer ID the switch does not know is counted and locked the same way, so
// neither the answer nor its timing tells which IDs exist. Failures, locks and the last code step used are
// kept in the store: a restart, or another node, holds them too.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TOTP } from 'otpauth';
import { LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS, type Officer, type OfficerStatus } from '../../src-shared/auth.ts';
import type { DrillOfficer } from './drill-officers.ts';
import type { SwitchStore } from '../store/store.ts';

/** What the store keeps of an officer ID, known or not. */
interface Attempts {
  /** Times (epoch ms) of the failures since the last success or release, oldest first. */
  failures: number[];
  lockedAt?: string;
  /** The last time step whose code signed this officer in: a code is good once (RFC 6238 section 5.2). */
  lastStep?: number;
}

interface Account {
  officer: Officer;
  salt: Buffer;
  /** Computed off the event loop at start-up; the plain password is not kept. */
  hash: Promise<Buffer>;
  totp: TOTP;
}

const ATTEMPTS = 'officer';

export type SignInCheck = { ok: true; officer: Officer } | { ok: false; reason: 'credentials'; attemptsLeft: number } | { ok: false; reason: 'locked' };

const HASH_BYTES = 32;
const UNKNOWN_KEPT_MS = 30 * 24 * 3_600_000;
const TOTP_PERIOD_S = 30;

/** scrypt with Node's defaults (N = 16384, r = 8): about 50 ms, in the thread pool so other terminals are not held up. */
function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, HASH_BYTES, (error, hash) => (error ? reject(error) : resolve(hash))));
}

/** An unknown officer ID costs the same hash as a known one, so the time taken does not tell which IDs exist. */
const UNKNOWN_SALT = randomBytes(16);

export class OfficerDirectory {
  readonly #accounts = new Map<string, Account>();

  constructor(
    officers: readonly DrillOfficer[],
    private readonly store: SwitchStore,
  ) {
    for (const { id, name, unit, password, totpSecret } of officers) {
      const salt = randomBytes(16);
      this.#accounts.set(id, {
        officer: { id, name, unit },
        salt,
        hash: hashPassword(password, salt),
        totp: new TOTP({ secret: totpSecret, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_S }),
      });
    }
  }

  /** Checks password and code; a wrong one counts toward the lockout, the same answer whichever was wrong. */
  async check(officerId: string, password: string, code: string, now: Date): Promise<SignInCheck> {
    const account = this.#accounts.get(officerId);
    const [given, held] = await Promise.all([hashPassword(password, account?.salt ?? UNKNOWN_SALT), account?.hash]);
    const passwordOk = account !== undefined && held !== undefined && timingSafeEqual(given, held);
    const time = now.getTime();
    // One transaction: two sign-ins at once, on one node or two, cannot both slip past a lock or use one code.
    return this.store.update<Attempts, SignInCheck>(ATTEMPTS, officerId, (current) => {
      const attempts: Attempts = current ?? { failures: [] };
      if (attempts.lockedAt) return { result: { ok: false, reason: 'locked' } };
      if (account && passwordOk) {
        const delta = account.totp.validate({ token: code, timestamp: time, window: 1 });
        const step = delta === null ? undefined : Math.floor(time / (TOTP_PERIOD_S * 1000)) + delta;
        // A code already used is refused like a wrong one: whoever replays it learns nothing more.
        if (step !== undefined && step > (attempts.lastStep ?? -1)) return { next: { failures: [], lastStep: step }, result: { ok: true, officer: account.officer } };
      }
      const failures = [...recent(attempts, time), time];
      // An unknown ID is forgotten a month after its last failure, so guessing IDs cannot fill the store.
      const expiresAt = account ? undefined : time + UNKNOWN_KEPT_MS;
      if (failures.length >= LOCKOUT_FAILURES) return { next: { ...attempts, failures, lockedAt: now.toISOString() }, expiresAt, result: { ok: false, reason: 'locked' } };
      return { next: { ...attempts, failures }, expiresAt, result: { ok: false, reason: 'credentials', attemptsLeft: LOCKOUT_FAILURES - failures.length } };
    });
  }

  officer(officerId: string): Officer | undefined {
    return this.#accounts.get(officerId)?.officer;
  }

  /** The administrator's release: unlocked, the count started again. Undefined for an unknown officer. */
  async release(officerId: string, now: Date): Promise<OfficerStatus | undefined> {
    const account = this.#accounts.get(officerId);
    if (!account) return undefined;
    const attempts = await this.store.update<Attempts, Attempts>(ATTEMPTS, officerId, (current) => {
      const next = { failures: [], ...(current?.lastStep === undefined ? {} : { lastStep: current.lastStep }) };
      return { next, result: next };
    });
    return status(account, attempts, now.getTime());
  }

  async statuses(now: Date): Promise<OfficerStatus[]> {
    const held = new Map(await this.store.list<Attempts>(ATTEMPTS));
    return [...this.#accounts.values()].map((account) => status(account, held.get(account.officer.id) ?? { failures: [] }, now.getTime()));
  }
}

/** Failures that still count toward a lockout at `time`. */
function recent(attempts: Attempts, time: number): number[] {
  return attempts.failures.filter((at) => time - at < LOCKOUT_WINDOW_MS);
}

function status(account: Account, attempts: Attempts, time: number): OfficerStatus {
  return {
    id: account.officer.id,
    name: account.officer.name,
    locked: attempts.lockedAt !== undefined,
    ...(attempts.lockedAt ? { lockedAt: attempts.lockedAt } : {}),
    // A locked account shows the failures that locked it, however long ago.
    failures: attempts.lockedAt ? attempts.failures.length : recent(attempts, time).length,
  };
}
