// Sign-in and sessions on the switch: what the terminal sends, what the switch answers (issue 6).
import { z } from 'zod';
import { FIELD_CONFIG } from './field-config.ts';
import { API_VERSION, TerminalId } from './protocol.ts';

/** Officer IDs as agencies issue them: 3-12 capital letters and digits ("TRN101"). */
export const OfficerId = z.string().regex(/^[A-Z0-9]{3,12}$/, { error: 'officer ID must be 3-12 capital letters or digits' });
export type OfficerId = z.infer<typeof OfficerId>;

/** A one-time code from the officer's authenticator (TOTP, RFC 6238: SHA-1, 6 digits, 30 s). */
export const OneTimeCode = z.string().regex(/^\d{6}$/, { error: 'the one-time code is 6 digits' });

export const SignInRequest = z
  .object({
    officerId: OfficerId,
    password: z.string().min(1, { error: 'password is required' }).max(200),
    code: OneTimeCode,
    terminal: TerminalId,
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

export const Officer = z.object({
  id: OfficerId,
  /** As shown in the status bar: "Ofc. J. Rivera". */
  name: z.string().min(1).max(40),
  unit: z.string().max(12).optional(),
});
export type Officer = z.infer<typeof Officer>;

/** Re-authentication with password and one-time code is required at least this often (FIELD_CONFIG.sessionHours). */
export const SESSION_HOURS: number = FIELD_CONFIG.sessionHours;
export const SESSION_MS = SESSION_HOURS * 3_600_000;

/** A session: the bearer token for every CJI request, until `expiresAt` (12 h after the sign-in with the code). */
export const Session = z.object({
  token: z.string().min(16).max(2_000),
  officer: Officer,
  /** When the officer last proved password and one-time code: renewals never move this. */
  signedInAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Session = z.infer<typeof Session>;

/**
 * Why a sign-in or a request was refused. 401 `credentials`: wrong officer ID, password or code, or a code
 * already used (`attemptsLeft` before the account locks; the same answer for an ID the switch does not know).
 * 423 `locked`: 5 failures in 15 minutes locked the account until an administrator releases it. 429
 * `throttled`: this client address failed against too many officer IDs; Retry-After says when to try again.
 * 401 `session`: no token, or it is unknown, ended or past `expiresAt`, or the request named another
 * terminal than the session's: sign in again.
 */
export const AuthRefusal = z.object({
  error: z.enum(['credentials', 'locked', 'throttled', 'session']),
  message: z.string(),
  attemptsLeft: z.number().int().min(0).optional(),
});
export type AuthRefusal = z.infer<typeof AuthRefusal>;

/** Lockout rule: this many consecutive failures within the window lock the account (FIELD_CONFIG). */
export const LOCKOUT_FAILURES: number = FIELD_CONFIG.lockoutFailures;
export const LOCKOUT_WINDOW_MS: number = FIELD_CONFIG.lockoutWindowMs;

export const authPaths = {
  /** POST SignInRequest -> 200 Session | 401/423 AuthRefusal. */
  signIn: `/${API_VERSION}/auth/sign-in`,
  /** POST with the bearer token -> 200 Session (a fresh token, same signedInAt/expiresAt) | 401 AuthRefusal. */
  renew: `/${API_VERSION}/auth/renew`,
  /** POST with the bearer token -> 204: the session is ended, every token renewed from the same sign-in with it. */
  signOut: `/${API_VERSION}/auth/sign-out`,
  /** POST AuditUpload with the bearer token -> 200 AuditReceipt | 409 chain broken. */
  audit: `/${API_VERSION}/audit`,
  /** Admin port: GET -> OfficerStatus[]. */
  adminOfficers: `/${API_VERSION}/admin/officers`,
  /** Admin port: POST -> 200 OfficerStatus: the lockout is lifted and the failure count reset. */
  adminRelease: (officerId: string) => `/${API_VERSION}/admin/officers/${encodeURIComponent(officerId)}/release`,
  /** Admin port: GET ?terminal=ID -> the audit records the switch keeps for that terminal. */
  adminAudit: `/${API_VERSION}/admin/audit`,
  /** Admin port: GET -> SecurityEvent[], newest first: lockouts, throttled addresses, replayed tokens, restarted trails. */
  adminSecurityEvents: `/${API_VERSION}/admin/security-events`,
} as const;

export const OfficerStatus = z.object({
  id: OfficerId,
  name: z.string(),
  locked: z.boolean(),
  lockedAt: z.iso.datetime().optional(),
  /** Consecutive failures counted toward the lockout. */
  failures: z.number().int().min(0),
});
export type OfficerStatus = z.infer<typeof OfficerStatus>;

export const BEARER = 'Bearer ';
export const bearer = (token: string) => ({ authorization: `${BEARER}${token}` });
