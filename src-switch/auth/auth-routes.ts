// Sign-in, renewal and sign-out on the protocol port; the session every CJI endpoint requires, which alone
// says whose request it is; and the administrator's view of officers, and their release, on the admin port.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthRefusal, authPaths, BEARER, LOCKOUT_FAILURES, type Session, SESSION_MS, SignInRequest } from '../../src-shared/auth.ts';
import { paths } from '../../src-shared/protocol.ts';
import type { AuditKeeper } from './audit-keeper.ts';
import type { LiveStreams } from './live-streams.ts';
import type { OfficerDirectory } from './officer-directory.ts';
import type { SecurityLog } from './security-log.ts';
import { type SessionClaims, type SessionTokens, type TokenCheck } from './session-tokens.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import { sendError } from '../protocol/error-reply.ts';

export interface AuthState {
  directory: OfficerDirectory;
  tokens: SessionTokens;
  audit: AuditKeeper;
  streams: LiveStreams;
  throttle: SignInThrottle;
  security: SecurityLog;
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
const OPEN_ROUTES: ReadonlySet<string> = new Set([paths.health, paths.ready, paths.openapi, authPaths.signIn, authPaths.renew, authPaths.signOut]);

function refuse(reply: FastifyReply, status: number, refusal: AuthRefusal) {
  // RFC 6750: a refused bearer token names the scheme the client should use.
  if (refusal.error === 'session') reply.header('WWW-Authenticate', 'Bearer realm="outrider"');
  return reply.code(status).send(refusal);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith(BEARER) ? header.slice(BEARER.length).trim() : undefined;
}

/** Every terminal a request names: `?terminal=` and a body's `terminal`. Each must be the session's own (a non-string is the schema's to refuse). */
function namedTerminals(request: FastifyRequest): unknown[] {
  const named: unknown[] = [];
  const query = request.query as Record<string, unknown> | undefined;
  if (query && 'terminal' in query) named.push(query.terminal);
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'terminal' in body) named.push(body.terminal);
  return named;
}

/**
 * The terminal a CJI request is for: its session's, never what the request says. Only a switch run with
 * sessions off (protocol tests about something else) takes the terminal the request names.
 */
export function ownerOf(request: FastifyRequest): string | undefined {
  if (request.session) return request.session.terminal;
  const named = namedTerminals(request).find((value) => typeof value === 'string');
  return named as string | undefined;
}

export function registerAuth(app: FastifyInstance, state: AuthState): void {
  const { directory, tokens, streams, security, now } = state;

  /** A token this switch signed, not expired, of a session not ended; a replaced token used again ends its session. */
  const sessionOf = async (request: FastifyRequest): Promise<TokenCheck> => {
    const check = await tokens.verify(bearerOf(request), now());
    if (!check.ok && check.ended === 'replayed') {
      const read = tokens.read(bearerOf(request));
      if (read.ok) {
        streams.endSession(read.claims);
        await security.record({
          at: now().toISOString(),
          kind: 'token_replayed',
          officer: read.claims.officer,
          terminal: read.claims.terminal,
          address: request.ip,
          message: `A replaced session token of ${read.claims.officer} on ${read.claims.terminal} was used after its 30 s grace: the session was ended (a copied token?)`,
        });
      }
    }
    return check;
  };

  if (state.sessions === 'required') {
    // preHandler, not onRequest: the body (and the terminal it names) is parsed by then, and drill conditions have run.
    app.addHook('preHandler', async (request, reply) => {
      const route = request.routeOptions.url;
      if (request.method === 'OPTIONS' || route === undefined || OPEN_ROUTES.has(route)) return;
      const check = await sessionOf(request);
      if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
      if (namedTerminals(request).some((terminal) => typeof terminal === 'string' && terminal !== check.claims.terminal)) {
        return refuse(reply, 401, { error: 'session', message: 'This session belongs to another terminal' });
      }
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
    const wait = await state.throttle.waitFor(request.ip, officerId, at.getTime());
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      await security.record({ at: at.toISOString(), kind: 'address_throttled', address: request.ip, message: `Sign-ins from ${request.ip} refused for ${minutes} min: failures against too many officer IDs` });
      reply.header('Retry-After', String(Math.ceil(wait / 1000)));
      return refuse(reply, 429, { error: 'throttled', message: `Too many failed sign-ins from this terminal's address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator.` });
    }
    const check = await directory.check(officerId, password, code, at);
    if (!check.ok) await state.throttle.failed(request.ip, officerId, at.getTime());
    // A lockout stops new sign-ins only: sessions already open stay (docs/protocol.md, CJIS AC-7).
    if (!check.ok && check.reason === 'locked') {
      await security.record({ at: at.toISOString(), kind: 'account_locked', officer: officerId, address: request.ip, message: `Sign-in to ${officerId} refused: the account is locked` });
      return refuse(reply, 423, { error: 'locked', message: `Account ${officerId} is locked after ${LOCKOUT_FAILURES} failed sign-ins. An administrator must release it.` });
    }
    if (!check.ok) return refuse(reply, 401, { error: 'credentials', message: 'Officer ID, password or one-time code is wrong.', attemptsLeft: check.attemptsLeft });
    await state.audit.noteSignIn(terminal, officerId);
    const claims = { officer: officerId, terminal, signedInAt: at.toISOString(), expiresAt: new Date(at.getTime() + SESSION_MS).toISOString() };
    const session: Session = { token: tokens.issue(claims), officer: check.officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
    return session;
  });

  // A fresh token of the same session: signedInAt and expiresAt stay, so renewing never stretches the 12 hours.
  app.post(authPaths.renew, async (request, reply) => {
    const check = await sessionOf(request);
    if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
    const officer = directory.officer(check.claims.officer);
    if (!officer) return refuse(reply, 401, { error: 'session', message: 'Sign in again: the officer is not on this switch' });
    await tokens.retire(check.claims, now());
    const { jti: _replaced, ...claims } = check.claims;
    const session: Session = { token: tokens.issue(claims), officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
    return session;
  });

  // 204 whatever was sent: a sign-out retried after a lost reply, or of a token already dead, is done all the same.
  app.post(authPaths.signOut, async (request, reply) => {
    const check = await tokens.verify(bearerOf(request), now());
    if (check.ok) {
      await tokens.endSession(check.claims, now());
      streams.endSession(check.claims);
    }
    return reply.code(204).send();
  });
}

export function registerAuthAdmin(admin: FastifyInstance, state: AuthState): void {
  admin.get(authPaths.adminOfficers, async () => state.directory.statuses(state.now()));
  admin.post<{ Params: { id: string } }>(`${authPaths.adminOfficers}/:id/release`, async (request, reply) => {
    const released = await state.directory.release(request.params.id, state.now());
    if (!released) return sendError(reply, 404, 'unknown_officer', `There is no officer ${request.params.id} on this switch`);
    await state.security.record({ at: state.now().toISOString(), kind: 'account_released', officer: released.id, message: `An administrator released ${released.id}` });
    return released;
  });
  admin.get(authPaths.adminSecurityEvents, async () => state.security.list());
}
