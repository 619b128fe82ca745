// Session tokens: signed, not stored, so a switch restarted with the same key still honours the sessions it
// gave out (a drill restarts the switch under signed-in terminals). Revocations are kept in memory until
// the token would have expired anyway: a restart forgets them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  officer: string;
  terminal: string;
  signedInAt: string;
  expiresAt: string;
  /** How many times the officer's account had been locked when they signed in: a later lock ends the session. */
  locks: number;
  /** The token's own id, for revocation. */
  jti: string;
}

export type TokenCheck = { ok: true; claims: SessionClaims } | { ok: false; why: string };

/** How long a renewed token still works: requests already in flight with it must not fail. */
export const RENEWAL_GRACE_MS = 30_000;

export class SessionTokens {
  /** Token id -> [revoked from, forgotten after] in epoch milliseconds: forgotten once the token has expired anyway. */
  readonly #revoked = new Map<string, [number, number]>();

  constructor(private readonly key: Buffer = randomBytes(32)) {}

  issue(claims: Omit<SessionClaims, 'jti'>): string {
    const payload = Buffer.from(JSON.stringify({ ...claims, jti: randomBytes(12).toString('base64url') })).toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  verify(token: string | undefined, now: Date): TokenCheck {
    if (!token) return { ok: false, why: 'no session token was sent' };
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return { ok: false, why: 'the session token is malformed' };
    const expected = Buffer.from(this.#mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'the session token is not one this switch issued' };
    // Only this switch's key makes a valid MAC, so the payload is one it wrote: no need to check its shape.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
    if (now.getTime() >= Date.parse(claims.expiresAt)) return { ok: false, why: 'the 12-hour session has expired' };
    const revoked = this.#revoked.get(claims.jti);
    if (revoked && now.getTime() >= revoked[0]) return { ok: false, why: 'the session was ended (signed out, or its token renewed)' };
    return { ok: true, claims };
  }

  /** Ends a token, at once (sign-out) or after `graceMs` (a renewal). */
  revoke(claims: SessionClaims, now: Date, graceMs = 0): void {
    const time = now.getTime();
    for (const [jti, [, until]] of this.#revoked) if (until <= time) this.#revoked.delete(jti);
    this.#revoked.set(claims.jti, [time + graceMs, Date.parse(claims.expiresAt)]);
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
