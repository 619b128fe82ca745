// The officer's session on this terminal, as a phase machine: use notice, sign-in with password and one-time
// code, offline unlock, lock, re-authentication, sign-out. Its clocks, its channel to other windows and the
// end of a shift are modules of their own.
import { SignInRequest } from '../../src-shared/auth.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { AuditAction, OfficerRecord, OutriderDb } from '../db/database.ts';
import type { AuthClient } from './auth-client.ts';
import { IdleLock } from './idle-lock.ts';
import { clearUnlockFailures, countUnlockFailure, recordSignIn, releaseHeld, sessionHolder, storeToken } from './officer-store.ts';
import { secretsAfterSignIn, unlockWith } from './secrets.ts';
import { SessionChannel, type SessionMessage } from './session-channel.ts';
import { endShiftHere, type QueuedChoice } from './shift-end.ts';
import { refusalText, releaseText, unlockFailureText, unreachableText } from './session-text.ts';
import { onLocalClock, systemNow } from './time.ts';

/** starting -> banner (until acknowledged) -> signin | locked -> active <-> locked; sign-out -> ending -> banner. */
export type Phase = 'starting' | 'banner' | 'signin' | 'locked' | 'active' | 'ending';
/** Why the screen is locked: at start-up, inactivity, the officer's key, another window, the 12-hour limit. */
export type LockReason = 'start' | 'idle' | 'key' | 'window' | 'reauth';

/** Wrong passwords at the lock screen before only a full sign-in (password and code, online) will do. */
const { unlockAttempts: UNLOCK_ATTEMPTS } = FIELD_CONFIG;

export interface SessionDeps {
  db: OutriderDb;
  auth: AuthClient;
  terminal: Promise<string>;
  lockAfterMs: number;
  now?: () => Date;
}

export interface Credentials {
  officerId: string;
  password: string;
  code: string;
}

export class SessionController {
  phase = $state<Phase>('starting');
  /** The officer whose shift is open here (signed in, not yet signed out), locked or not. */
  officer = $state<OfficerRecord>();
  lockReason = $state<LockReason>();
  /** The switch no longer honours this session: queued queries wait for a sign-in. */
  needsSignIn = $state(false);
  /** The last refusal or problem, in words for the screen. */
  message = $state<string>();
  busy = $state(false);

  #token: string | undefined;
  /** After an offline unlock the token may be stale: renewed the first time the link allows. */
  #renewPending = false;
  /** The stored count, mirrored for `needsFullSignIn`, so the lock screen switches as it reaches the limit. */
  #unlockFailures = $state(0);
  readonly #clocks: IdleLock;
  readonly #channel: SessionChannel;
  readonly #now: () => Date;
  #stops: Array<() => void> = [];
  /** Run before an officer's shift ends here (the terminal stops sending first). */
  beforeShiftEnds: () => Promise<void> = async () => undefined;

  constructor(private readonly deps: SessionDeps) {
    this.#now = deps.now ?? systemNow;
    this.#channel = new SessionChannel((message) => void this.#hear(message));
    this.#stops.push(() => this.#channel.close());
    this.#clocks = new IdleLock({
      lockAfterMs: deps.lockAfterMs,
      now: () => this.#now().getTime(),
      onIdle: () => this.lock('idle'),
      onReauthDue: () => this.lock('reauth'),
      onActivity: (at) => this.#channel.share({ type: 'activity', at }),
    });
  }

  /** Reads who holds the shift and shows the use notice; `activity` is what the idle lock watches. */
  async start(activity: EventTarget = window): Promise<void> {
    this.officer = await sessionHolder(this.deps.db);
    this.#unlockFailures = this.officer?.unlockFailures ?? 0;
    this.phase = 'banner';
    this.#stops.push(this.#clocks.watch(activity));
  }

  stop(): void {
    this.#clocks.stop();
    this.#stops.forEach((stop) => stop());
    this.#stops = [];
  }

  /** The token for the switch; undefined while no session is open. */
  token(): string | undefined {
    return this.phase === 'active' || this.phase === 'locked' ? this.#token : undefined;
  }

  /** When the 12-hour sign-in ends, in epoch milliseconds. */
  get expiresAt(): number | undefined {
    return this.officer?.session ? Date.parse(this.officer.session.expiresAt) : undefined;
  }

  /** The lock screen asks for password and one-time code, not the password alone. */
  get needsFullSignIn(): boolean {
    return this.lockReason === 'reauth' || this.#unlockFailures >= UNLOCK_ATTEMPTS || !this.officer?.verifier || this.#pastTwelveHours();
  }

  acknowledgeBanner(): void {
    if (this.phase !== 'banner') return;
    this.message = undefined;
    if (this.officer) this.#enterLock('start');
    else this.phase = 'signin';
  }

  /** Online sign-in with password and one-time code: opens a shift, or renews this officer's. */
  async signIn(credentials: Credentials): Promise<boolean> {
    const terminal = await this.deps.terminal;
    const request = SignInRequest.safeParse({ ...credentials, officerId: credentials.officerId.trim().toUpperCase(), code: credentials.code.trim(), terminal });
    if (!request.success) {
      this.message = request.error.issues.map((issue) => issue.message).join('; ');
      return false;
    }
    this.busy = true;
    try {
      const outcome = await this.deps.auth.signIn(request.data);
      const officerId = request.data.officerId;
      if (outcome.kind !== 'session') {
        const canUnlock = Boolean(this.officer?.verifier) && this.officer?.id === officerId;
        this.message = outcome.kind === 'refused' ? refusalText(outcome.refusal) : unreachableText(outcome.reason, canUnlock);
        await this.#audit('session.signin_failed', officerId, outcome.kind === 'refused' ? `refused: ${outcome.refusal.error}` : 'switch unreachable', officerId);
        return false;
      }
      const now = this.#now();
      const session = onLocalClock(outcome.session, now);
      const holder = this.officer;
      if (holder && holder.id !== session.officer.id) await this.#closeShift(holder, 'hold', `shift ended by the sign-in of ${session.officer.id}`);
      const previous = await this.deps.db.officers.get(session.officer.id);
      const secrets = await secretsAfterSignIn(request.data.password, previous?.holdKey);
      this.officer = await recordSignIn(this.deps.db, session, secrets, now);
      this.#token = session.token;
      this.#renewPending = false;
      this.#unlockFailures = 0;
      this.needsSignIn = false;
      await this.#audit('session.signin', session.officer.id, 'password and one-time code, online');
      const { released, refused } = await releaseHeld(this.deps.db, session.officer.id, secrets, now);
      this.message = releaseText(released, refused);
      this.#enterActive();
      this.#channel.share({ type: 'token' });
      return true;
    } catch (error) {
      this.message = `Sign-in did not finish: ${(error as Error).message}`;
      if (this.phase === 'ending') this.phase = this.officer ? 'locked' : 'signin';
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Offline unlock with the password, while the 12-hour sign-in lasts. */
  async unlock(password: string): Promise<boolean> {
    // As stored, not as this window last saw it: another window may have counted failures or erased the verifier.
    const officer = this.officer && (await this.deps.db.officers.get(this.officer.id));
    if (officer) this.officer = officer;
    this.#unlockFailures = officer?.unlockFailures ?? 0;
    if (!officer?.verifier || this.needsFullSignIn) {
      this.message = 'Sign in with your password and one-time code.';
      return false;
    }
    this.busy = true;
    try {
      const result = await unlockWith(password, officer.verifier, officer.holdKey);
      if (!result.ok) {
        const counted = await countUnlockFailure(this.deps.db, officer.id, UNLOCK_ATTEMPTS);
        this.officer = counted ?? officer;
        this.#unlockFailures = counted?.unlockFailures ?? UNLOCK_ATTEMPTS;
        this.message = unlockFailureText(this.#unlockFailures, UNLOCK_ATTEMPTS);
        await this.#audit('session.unlock_failed', officer.id, `wrong password (${this.#unlockFailures})${this.#unlockFailures >= UNLOCK_ATTEMPTS ? ', offline verifier erased' : ''}`);
        return false;
      }
      await clearUnlockFailures(this.deps.db, officer.id);
      this.#unlockFailures = 0;
      this.#token = officer.session?.token;
      this.#renewPending = true;
      this.message = undefined;
      await this.#audit('session.unlock', officer.id, 'password, offline verifier');
      this.#enterActive();
      return true;
    } finally {
      this.busy = false;
    }
  }

  /** Locks every window of this terminal: nothing of CJI stays on screen. */
  lock(reason: Exclude<LockReason, 'window' | 'start'>): void {
    if (this.phase !== 'active') return;
    this.#enterLock(reason);
    void this.#audit('session.lock', this.officer?.id ?? '', reason === 'idle' ? 'inactivity' : reason === 'key' ? "officer's key" : '12-hour re-authentication due');
    this.#channel.share({ type: 'lock' });
  }

  /**
   * Ends the shift: queued queries are held for the officer (or discarded, by their explicit choice), cached
   * CJI and authenticators erased, the token revoked on the switch if it can be reached.
   */
  async signOut(queued: QueuedChoice): Promise<void> {
    const officer = this.officer;
    if (!officer) return;
    this.busy = true;
    try {
      await this.#closeShift(officer, queued, 'signed out');
      this.phase = 'banner';
      this.#channel.share({ type: 'signout' });
    } finally {
      this.busy = false;
    }
  }

  /**
   * The switch refused a token (401): sending waits until the officer signs in again. A refusal of a token
   * a renewal has since replaced is a request that crossed the renewal, not an ended session.
   */
  unauthorized(token: string | undefined): void {
    if (this.needsSignIn || !this.officer || token !== this.#token) return;
    this.needsSignIn = true;
    void this.#audit('session.expired', this.officer.id, 'the switch refused the session');
  }

  /** The link is back: a session opened offline is renewed, so the switch's token is fresh for the shift. */
  async linkBack(): Promise<void> {
    const officer = this.officer;
    if (!this.#renewPending || !this.#token || !officer || this.phase === 'banner') return;
    this.#renewPending = false;
    const outcome = await this.deps.auth.renew(this.#token);
    if (outcome.kind === 'session') {
      this.#token = outcome.session.token;
      await storeToken(this.deps.db, officer.id, outcome.session);
      this.#channel.share({ type: 'token' });
    } else if (outcome.kind === 'refused') this.unauthorized(this.#token);
    else this.#renewPending = true;
  }

  async #closeShift(officer: OfficerRecord, queued: QueuedChoice, outcome: string): Promise<void> {
    // Out of 'active' first: nothing may start the terminal again while the shift is being closed.
    const was = this.phase;
    this.phase = 'ending';
    try {
      const { db, auth } = this.deps;
      await endShiftHere({ db, auth, now: this.#now, beforeShiftEnds: () => this.beforeShiftEnds() }, officer, queued, outcome, this.#token);
    } catch (error) {
      // Nothing was erased: the shift goes on (the terminal starts again) and the screen says why.
      this.phase = was;
      throw error;
    }
    this.#clocks.stop();
    this.officer = undefined;
    this.#token = undefined;
    this.#renewPending = false;
    this.needsSignIn = false;
    this.lockReason = undefined;
  }

  #enterActive(): void {
    this.phase = 'active';
    this.lockReason = undefined;
    this.#clocks.start(this.expiresAt);
  }

  #enterLock(reason: LockReason): void {
    this.phase = 'locked';
    this.lockReason = this.#pastTwelveHours() ? 'reauth' : reason;
    this.#clocks.pause();
  }

  #pastTwelveHours(): boolean {
    const expires = this.expiresAt;
    return expires !== undefined && this.#now().getTime() >= expires;
  }

  async #hear(message: SessionMessage): Promise<void> {
    if (message.type === 'activity') this.#clocks.heard(message.at);
    else if (message.type === 'lock' && this.phase === 'active') this.#enterLock('window');
    else if (message.type === 'token' && this.phase !== 'banner' && this.phase !== 'starting') {
      const holder = await sessionHolder(this.deps.db);
      // Only a renewal of the same officer's session is taken up; another officer's sign-in ends this window's view.
      if (holder && holder.id === this.officer?.id && this.phase === 'active') this.#token = holder.session?.token;
      else if (holder?.id !== this.officer?.id) await this.#leave();
    } else if (message.type === 'signout') await this.#leave();
  }

  /** Another window ended the shift: this one stops too, and asks for the notice again. */
  async #leave(): Promise<void> {
    if (this.phase === 'banner' || this.phase === 'starting' || this.phase === 'ending') return;
    this.phase = 'ending';
    await this.beforeShiftEnds();
    this.#clocks.stop();
    this.officer = await sessionHolder(this.deps.db);
    this.#token = undefined;
    this.phase = 'banner';
  }

  async #audit(action: AuditAction, subject: string, outcome: string, officerId?: string): Promise<void> {
    await this.deps.db.audit.add({ at: this.#now().toISOString(), action, subject, outcome, ...(officerId ? { officer: officerId } : {}) });
  }
}
