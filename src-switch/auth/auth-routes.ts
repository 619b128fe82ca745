// Sign-in, renewal and sign-out on the protocol port; the session every CJI endpoint requires; and the
// administrator's view of officers, and their release, on the admin port.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthRefusal, authPaths, BEARER, LOCKOUT_FAILURES, type Session, SESSION_MS, SignInRequest } from '../../src-shared/auth.ts';
import { paths } from '../../src-shared/protocol.ts';
import type { AuditKeeper } from './audit-keeper.ts';
import type { LiveStreams } from './live-streams.ts';
import type { OfficerDirectory } from './officer-directory.ts';
import { RENEWAL_GRACE_MS, type SessionClaims, type SessionTokens, type TokenCheck } from './session-tokens.ts';
import { sendError } from '../error-reply.ts';

export interface AuthState {
  directory: OfficerDirectory;
  tokens: SessionTokens;
  audit: AuditKeeper;
  streams: LiveStreams;
  /** 'off' only for protocol tests that exercise something else; the switch a terminal meets requires it. */
  sessions: 'required' | 'off';
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session the request came with, once the CJI check has passed it. */
    session?: SessionClaims;
  }
}

/**
 * The only protocol routes open without a session: every other one carries CJI. Matched by route, not by
 * URL text, so a percent-encoded path that routes to a CJI endpoint is checked like any other.
 */
const OPEN_ROUTES: ReadonlySet<string> = new Set([paths.health, paths.openapi, authPaths.signIn, authPaths.renew, authPaths.signOut]);

function refuse(reply: FastifyReply, status: number, refusal: AuthRefusal) {
  // RFC 6750: a refused bearer token names the scheme the client should use.
  if (refusal.error === 'session') reply.header('WWW-Authenticate', 'Bearer realm="outrider"');
  return reply.code(status).send(refusal);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith(BEARER) ? header.slice(BEARER.length).trim() : undefined;
}

/** The terminal a request speaks for: `?terminal=` on a read, `terminal` in a body. */
function claimedTerminal(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.terminal;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromBody = (request.body as Record<string, unknown> | undefined)?.terminal;
  return typeof fromBody === 'string' ? fromBody : undefined;
}

export function registerAuth(app: FastifyInstance, state: AuthState): void {
  const { directory, tokens, streams, now } = state;

  /** A token this switch signed, not expired, not revoked, of an account not locked since. */
  const sessionOf = (request: FastifyRequest): TokenCheck => {
    const check = tokens.verify(bearerOf(request), now());
    if (check.ok && !directory.sessionStands(check.claims.officer, check.claims.locks)) return { ok: false, why: 'the account was locked' };
    return check;
  };

  if (state.sessions === 'required') {
    // preHandler, not onRequest: the body (and the terminal it names) is parsed by then, and drill conditions have run.
    app.addHook('preHandler', async (request, reply) => {
      const route = request.routeOptions.url;
      if (request.method === 'OPTIONS' || route === undefined || OPEN_ROUTES.has(route)) return;
      const check = sessionOf(request);
      if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
      const terminal = claimedTerminal(request);
      if (terminal !== undefined && terminal !== check.claims.terminal) return refuse(reply, 401, { error: 'session', message: 'This session belongs to another terminal' });
      request.session = check.claims;
    });
  }

  app.post(authPaths.signIn, async (request, reply) => {
    const parsed = SignInRequest.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      return sendError(reply, 400, 'invalid_sign_in', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
    }
    const { officerId, password, code, terminal } = parsed.data;
    const at = now();
    const check = await directory.check(officerId, password, code, at);
    if (!check.ok && check.reason === 'locked') {
      streams.endOfficer(officerId);
      return refuse(reply, 423, { error: 'locked', message: `Account ${officerId} is locked after ${LOCKOUT_FAILURES} failed sign-ins. An administrator must release it.` });
    }
    if (!check.ok) {
      const message = 'Officer ID, password or one-time code is wrong.';
      return refuse(reply, 401, check.attemptsLeft === undefined ? { error: 'credentials', message } : { error: 'credentials', message, attemptsLeft: check.attemptsLeft });
    }
    const claims = { officer: officerId, terminal, signedInAt: at.toISOString(), expiresAt: new Date(at.getTime() + SESSION_MS).toISOString(), locks: check.locks };
    const session: Session = { token: tokens.issue(claims), officer: check.officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
    return session;
  });

  // A fresh token for the same sign-in: signedInAt and expiresAt stay, so renewing never stretches the 12 hours.
  app.post(authPaths.renew, async (request, reply) => {
    const check = sessionOf(request);
    if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
    const officer = directory.officer(check.claims.officer);
    if (!officer) return refuse(reply, 401, { error: 'session', message: 'Sign in again: the officer is not on this switch' });
    tokens.revoke(check.claims, now(), RENEWAL_GRACE_MS);
    const { jti: _replaced, ...claims } = check.claims;
    const session: Session = { token: tokens.issue(claims), officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
    return session;
  });

  // 204 whatever was sent: a sign-out retried after a lost reply, or of a token already dead, is done all the same.
  app.post(authPaths.signOut, async (request, reply) => {
    const check = tokens.verify(bearerOf(request), now());
    if (check.ok) {
      tokens.revoke(check.claims, now());
      streams.endSession(check.claims);
    }
    return reply.code(204).send();
  });
}

export function registerAuthAdmin(admin: FastifyInstance, state: AuthState): void {
  admin.get(authPaths.adminOfficers, async () => state.directory.statuses(state.now()));
  admin.post<{ Params: { id: string } }>(`${authPaths.adminOfficers}/:id/release`, async (request, reply) => {
    const released = state.directory.release(request.params.id, state.now());
    if (!released) return sendError(reply, 404, 'unknown_officer', `There is no officer ${request.params.id} on this switch`);
    return released;
  });
}
