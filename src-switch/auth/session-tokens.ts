// Session tokens: signed, not stored, so a switch restarted with the same key still honours the sessions it
// gave out. A sign-in starts a session (its `sid`); each renewal issues a new token of the same session and
// retires the one it replaces. Sign-out ends the whole session, every token of it; so does a retired token
// used after its grace, the sign of a copied token (the thief or the officer, whichever renewed second).
// Ended sessions and retired tokens are kept in the store until the token would have expired anyway, so a
// restart, or another node, honours them too.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SwitchStore } from '../store/store.ts';

export interface SessionClaims {
  officer: string;
  terminal: string;
  signedInAt: string;
  expiresAt: string;
  /** The session: one id for the sign-in and every token renewed from it. */
  sid: string;
  /** The token's own id. */
  jti: string;
}

export type TokenCheck = { ok: true; claims: SessionClaims } | { ok: false; why: string; ended?: 'replayed' };

/** How long a renewed token still works: requests already in flight with it must not fail. */
export const RENEWAL_GRACE_MS = 30_000;

/** Store namespaces: sessions ended (by sid) and tokens replaced by a renewal (by jti), each with the time from which it counts. */
const ENDED = 'session-ended';
const RETIRED = 'token-retired';

export class SessionTokens {
  #key: Buffer;

  constructor(
    private readonly store: SwitchStore,
    key: Buffer = randomBytes(32),
  ) {
    this.#key = key;
  }

  /** Signs with `key` from now on: the one kept with the store, so every node and every restart signs alike. */
  useKey(key: Buffer): void {
    this.#key = key;
  }

  /** A token for a new session (a sign-in), or for `sid` when renewing it. */
  issue(claims: Omit<SessionClaims, 'jti' | 'sid'> & { sid?: string }): string {
    const sid = claims.sid ?? randomBytes(12).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, sid, jti: randomBytes(12).toString('base64url') })).toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  /** Reads a token's claims when this switch signed it; says nothing of whether it still works. */
  read(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, why: 'no session token was sent' };
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return { ok: false, why: 'the session token is malformed' };
    const expected = Buffer.from(this.#mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'the session token is not one this switch issued' };
    // Only this switch's key makes a valid MAC, so the payload is one it wrote: no need to check its shape.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    return { ok: true, claims: { ...claims, sid: claims.sid ?? claims.jti } };
  }

  /** A token this switch signed, not expired, of a session not ended, and not retired past its grace. */
  async verify(token: string | undefined, now: Date): Promise<TokenCheck> {
    const read = this.read(token);
    if (!read.ok) return read;
    const { claims } = read;
    const time = now.getTime();
    if (time >= Date.parse(claims.expiresAt)) return { ok: false, why: 'the 12-hour session has expired' };
    const [ended, retired] = await Promise.all([this.store.get<number>(ENDED, claims.sid), this.store.get<number>(RETIRED, claims.jti)]);
    if (ended !== undefined && time >= ended) return { ok: false, why: 'the session was ended (signed out, or a replaced token was used again)' };
    if (retired !== undefined && time >= retired) {
      await this.endSession(claims, now);
      return { ok: false, why: 'a replaced session token was used again, so the session was ended', ended: 'replayed' };
    }
    return { ok: true, claims };
  }

  /** Retires a token replaced by a renewal: it works for `graceMs` more, then using it ends its session. */
  async retire(claims: SessionClaims, now: Date, graceMs = RENEWAL_GRACE_MS): Promise<void> {
    await this.store.update<number, void>(RETIRED, claims.jti, () => ({ next: now.getTime() + graceMs, expiresAt: Date.parse(claims.expiresAt), result: undefined }));
  }

  /** Ends the session `claims` belongs to, every token of it, at once. */
  async endSession(claims: SessionClaims, now: Date): Promise<void> {
    await this.store.update<number, void>(ENDED, claims.sid, (ended) => ({ next: Math.min(ended ?? Infinity, now.getTime()), expiresAt: Date.parse(claims.expiresAt), result: undefined }));
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }
}
