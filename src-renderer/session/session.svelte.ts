// The officer's session on this terminal (issue 6): use notice, sign-in with password and one-time code,
// offline unlock, lock on inactivity or on a key, re-authentication every 12 hours, and sign-out.
import { type AuthRefusal, SignInRequest } from '../../src-shared/auth.ts';
import type { AuditAction, OfficerRecord, OutriderDb } from '../db/database.ts';
import type { AuthClient } from './auth-client.ts';
import { clearUnlockFailures, countUnlockFailure, discardQueued, endShift, holdQueued, recordSignIn, releaseHeld, sessionHolder, storeToken } from './officer-store.ts';
import { secretsAfterSignIn, unlockWith } from './secrets.ts';
import { isoAfter, systemNow } from './time.ts';

/** starting -> banner (until acknowledged) -> signin | locked -> active <-> locked; sign-out -> ending -> banner. */
export type Phase = 'starting' | 'banner' | 'signin' | 'locked' | 'active' | 'ending';
/** Why the screen is locked: at start-up, inactivity, the officer's key, another window, the 12-hour limit. */
export type LockReason = 'start' | 'idle' | 'key' | 'window' | 'reauth';

export const DEFAULT_LOCK_MINUTES = 30;
/** Wrong passwords at the lock screen before only a full sign-in (password and code, online) will do (CJIS IA-5). */
export const UNLOCK_ATTEMPTS = 5;
const CHANNEL = 'outrider-session';
/** Other windows hear of activity at most this often: enough to keep them from locking an officer at work. */
const ACTIVITY_SHARE_MS = 10_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;
/** setTimeout's longest delay; a later deadline is re-armed when this one fires. */
const MAX_DELAY_MS = 2_147_483_647;

type Message = { type: 'lock' } | { type: 'signout' } | { type: 'activity'; at: number } | { type: 'token' };

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

function refusalText(refusal: AuthRefusal): string {
  if (refusal.error === 'credentials' && refusal.attemptsLeft !== undefined) {
    return `${refusal.message} ${refusal.attemptsLeft === 1 ? '1 more failure locks the account.' : `${refusal.attemptsLeft} more failures lock the account.`}`;
  }
  return refusal.message;
}

function releaseText(released: number, refused: number): string | undefined {
  const back = released > 0 ? `${released} held ${released === 1 ? 'query is' : 'queries are'} back in the queue.` : '';
  const planted = refused > 0 ? ` ${refused} held ${refused === 1 ? 'bundle was' : 'bundles were'} not held on this terminal for you and ${refused === 1 ? 'was' : 'were'} refused (reported in the audit trail).` : '';
  return `${back}${planted}`.trim() || undefined;
}

export class SessionController {
  phase = $state<Phase>('starting');
  /** The officer whose shift is open on this terminal (signed in, not yet signed out), locked or not. */
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
  #lastActivity = 0;
  #lastShared = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #reauthTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #channel: BroadcastChannel | undefined;
  readonly #now: () => Date;
  #stops: Array<() => void> = [];
  /** Run before an officer's shift ends here (the terminal stops sending first). */
  beforeShiftEnds: () => Promise<void> = async () => undefined;

  constructor(private readonly deps: SessionDeps) {
    this.#now = deps.now ?? systemNow;
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;
    if (this.#channel) {
      this.#channel.onmessage = (event: MessageEvent<Message>) => void this.#hear(event.data);
      this.#stops.push(() => this.#channel?.close());
    }
  }

  async start(): Promise<void> {
    this.officer = await sessionHolder(this.deps.db);
    this.#unlockFailures = this.officer?.unlockFailures ?? 0;
    this.phase = 'banner';
    const onActivity = () => this.#activity();
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    this.#stops.push(() => ACTIVITY_EVENTS.forEach((type) => window.removeEventListener(type, onActivity, { capture: true })));
  }

  stop(): void {
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#reauthTimer);
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
        this.message =
          outcome.kind === 'refused'
            ? refusalText(outcome.refusal)
            : `${outcome.reason}. Sign-in needs the switch${this.officer?.verifier && this.officer.id === officerId ? '; you can unlock with your password alone while your 12-hour sign-in lasts' : ''}.`;
        await this.#audit('session.signin_failed', officerId, outcome.kind === 'refused' ? `refused: ${outcome.refusal.error}` : 'switch unreachable', officerId);
        return false;
      }
      // The 12 hours run on this terminal's clock from now: a car's clock off from the switch's neither
      // shortens nor stretches them.
      const now = this.#now();
      const lifetime = Date.parse(outcome.session.expiresAt) - Date.parse(outcome.session.signedInAt);
      const session = { ...outcome.session, signedInAt: now.toISOString(), expiresAt: isoAfter(now, lifetime) };
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
      this.#share({ type: 'token' });
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
        this.message =
          this.#unlockFailures >= UNLOCK_ATTEMPTS
            ? `${UNLOCK_ATTEMPTS} wrong passwords: sign in with your password and one-time code.`
            : `Wrong password. ${UNLOCK_ATTEMPTS - this.#unlockFailures} more before a full sign-in is needed.`;
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
    this.#share({ type: 'lock' });
  }

  /**
   * Ends the shift: queued queries are held for the officer (or discarded, by their explicit choice), cached
   * CJI and authenticators erased, the token revoked on the switch if it can be reached.
   */
  async signOut(queued: 'hold' | 'discard'): Promise<void> {
    const officer = this.officer;
    if (!officer) return;
    this.busy = true;
    try {
      await this.#closeShift(officer, queued, 'signed out');
      this.phase = 'banner';
      this.#share({ type: 'signout' });
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
      this.#share({ type: 'token' });
    } else if (outcome.kind === 'refused') {
      this.unauthorized(this.#token);
    } else {
      this.#renewPending = true;
    }
  }

  async #closeShift(officer: OfficerRecord, queued: 'hold' | 'discard', outcome: string): Promise<void> {
    // Out of 'active' first: nothing may start the terminal again while the shift is being closed.
    const was = this.phase;
    this.phase = 'ending';
    try {
      await this.beforeShiftEnds();
      const now = this.#now();
      const moved = queued === 'hold' ? await holdQueued(this.deps.db, officer, now) : await discardQueued(this.deps.db, officer.id, now);
      const token = officer.session?.token ?? this.#token;
      if (token) await this.deps.auth.signOut(token);
      await endShift(this.deps.db, officer.id, now, `${outcome}; ${moved} queued ${queued === 'hold' ? 'held' : 'discarded'}`);
    } catch (error) {
      // Nothing was erased: the shift goes on (the terminal starts again) and the screen says why.
      this.phase = was;
      throw error;
    }
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#reauthTimer);
    this.officer = undefined;
    this.#token = undefined;
    this.#renewPending = false;
    this.needsSignIn = false;
    this.lockReason = undefined;
  }

  #enterActive(): void {
    this.phase = 'active';
    this.lockReason = undefined;
    this.#lastActivity = this.#now().getTime();
    this.#armIdle(this.deps.lockAfterMs);
    this.#armReauth();
  }

  #enterLock(reason: LockReason): void {
    this.phase = 'locked';
    this.lockReason = this.#pastTwelveHours() ? 'reauth' : reason;
    clearTimeout(this.#idleTimer);
  }

  #pastTwelveHours(): boolean {
    const expires = this.expiresAt;
    return expires !== undefined && this.#now().getTime() >= expires;
  }

  #armIdle(delayMs: number): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      const idle = this.#now().getTime() - this.#lastActivity;
      if (idle >= this.deps.lockAfterMs) this.lock('idle');
      else this.#armIdle(this.deps.lockAfterMs - idle);
    }, Math.min(delayMs, MAX_DELAY_MS));
  }

  #armReauth(): void {
    clearTimeout(this.#reauthTimer);
    const expires = this.expiresAt;
    if (!expires) return;
    const remaining = expires - this.#now().getTime();
    this.#reauthTimer = setTimeout(() => (this.#pastTwelveHours() ? this.lock('reauth') : this.#armReauth()), Math.max(0, Math.min(remaining, MAX_DELAY_MS)));
  }

  #activity(): void {
    if (this.phase !== 'active') return;
    const now = this.#now().getTime();
    this.#lastActivity = now;
    if (now - this.#lastShared >= ACTIVITY_SHARE_MS) {
      this.#lastShared = now;
      this.#share({ type: 'activity', at: now });
    }
  }

  async #hear(message: Message): Promise<void> {
    if (message.type === 'activity') this.#lastActivity = Math.max(this.#lastActivity, message.at);
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
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#reauthTimer);
    this.officer = await sessionHolder(this.deps.db);
    this.#token = undefined;
    this.phase = 'banner';
  }

  #share(message: Message): void {
    this.#channel?.postMessage(message);
  }

  async #audit(action: AuditAction, subject: string, outcome: string, officerId?: string): Promise<void> {
    await this.deps.db.audit.add({ at: this.#now().toISOString(), action, subject, outcome, ...(officerId ? { officer: officerId } : {}) });
  }
}
