// Sign-in, renewal, sign-out and the audit upload on the protocol port; the session every CJI endpoint
// requires; and the administrator's view of officers and audit trails on the admin port.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuditUpload } from '../../src-shared/audit-chain.ts';
import { type AuthRefusal, authPaths, BEARER, type Session, SESSION_MS, SignInRequest } from '../../src-shared/auth.ts';
import { paths } from '../../src-shared/protocol.ts';
import type { AuditKeeper } from './audit-keeper.ts';
import type { OfficerDirectory } from './officer-directory.ts';
import { RENEWAL_GRACE_MS, type SessionClaims, type SessionTokens } from './session-tokens.ts';

export interface AuthState {
  directory: OfficerDirectory;
  tokens: SessionTokens;
  audit: AuditKeeper;
  /** 'off' only for protocol tests that exercise something else; the switch a terminal meets requires it. */
  sessions: 'required' | 'off';
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    session?: SessionClaims;
  }
}

/** Endpoints that carry CJI: each needs a live session from the terminal it names. */
const CJI_PREFIXES = [paths.queries, paths.events, paths.confirmations, '/v1/hotlist', authPaths.audit];

function refuse(reply: FastifyReply, status: number, refusal: AuthRefusal) {
  return reply.code(status).send(refusal);
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith(BEARER) ? header.slice(BEARER.length).trim() : undefined;
}

function sessionOf(claims: SessionClaims, token: string, officer: Session['officer']): Session {
  return { token, officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
}

/** The terminal a request speaks for: `?terminal=` on a read, `terminal` in a body. */
function claimedTerminal(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.terminal;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromBody = (request.body as Record<string, unknown> | undefined)?.terminal;
  return typeof fromBody === 'string' ? fromBody : undefined;
}

export function registerAuth(app: FastifyInstance, state: AuthState): void {
  const { directory, tokens, audit, now } = state;

  if (state.sessions === 'required') {
    app.addHook('preHandler', async (request, reply) => {
      const path = request.url.split('?')[0]!;
      if (request.method === 'OPTIONS' || !CJI_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return;
      const check = tokens.verify(bearerOf(request), now());
      if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
      if (directory.isLocked(check.claims.officer)) return refuse(reply, 401, { error: 'session', message: 'Sign in again: the account is locked' });
      const terminal = claimedTerminal(request);
      if (terminal !== undefined && terminal !== check.claims.terminal) return refuse(reply, 401, { error: 'session', message: 'This session belongs to another terminal' });
      request.session = check.claims;
    });
  }

  app.post(authPaths.signIn, async (request, reply) => {
    const parsed = SignInRequest.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ error: { code: 'invalid_sign_in', message: issue.message, field: issue.path.join('.') || undefined } });
    }
    const { officerId, password, code, terminal } = parsed.data;
    const at = now();
    const check = directory.check(officerId, password, code, at);
    if (!check.ok && check.reason === 'locked') {
      return refuse(reply, 423, { error: 'locked', message: `Account ${officerId} is locked after 5 failed sign-ins. An administrator must release it.` });
    }
    if (!check.ok) {
      const message = 'Officer ID, password or one-time code is wrong.';
      return refuse(reply, 401, check.attemptsLeft === undefined ? { error: 'credentials', message } : { error: 'credentials', message, attemptsLeft: check.attemptsLeft });
    }
    const claims = { officer: officerId, terminal, signedInAt: at.toISOString(), expiresAt: new Date(at.getTime() + SESSION_MS).toISOString() };
    const session: Session = { token: tokens.issue(claims), officer: check.officer, signedInAt: claims.signedInAt, expiresAt: claims.expiresAt };
    return session;
  });

  app.post(authPaths.renew, async (request, reply) => {
    const check = tokens.verify(bearerOf(request), now());
    if (!check.ok) return refuse(reply, 401, { error: 'session', message: `Sign in again: ${check.why}` });
    if (directory.isLocked(check.claims.officer)) return refuse(reply, 401, { error: 'session', message: 'Sign in again: the account is locked' });
    const { jti: _old, ...rest } = check.claims;
    tokens.revoke(check.claims, now(), RENEWAL_GRACE_MS);
    const officer = directory.officer(rest.officer);
    if (!officer) return refuse(reply, 401, { error: 'session', message: 'Sign in again: the officer is not on this switch' });
    return sessionOf(check.claims, tokens.issue(rest), officer);
  });

  app.post(authPaths.signOut, async (request, reply) => {
    const check = tokens.verify(bearerOf(request), now());
    if (check.ok) tokens.revoke(check.claims, now());
    return reply.code(204).send();
  });

  app.post(authPaths.audit, async (request, reply) => {
    const upload = AuditUpload.safeParse(request.body);
    if (!upload.success) {
      const issue = upload.error.issues[0]!;
      return reply.code(400).send({ error: { code: 'invalid_audit', message: `${issue.path.join('.')}: ${issue.message}` } });
    }
    const stranger = upload.data.records.find((record) => record.terminal !== upload.data.terminal);
    if (stranger) return reply.code(400).send({ error: { code: 'invalid_audit', message: `record ${stranger.seq} is from another terminal` } });
    const kept = audit.keep(upload.data.terminal, upload.data.records);
    if (!kept.ok) return reply.code(409).send({ error: 'chain', message: kept.message, seq: kept.seq, expected: kept.expected });
    return kept.receipt;
  });
}

export function registerAuthAdmin(admin: FastifyInstance, state: AuthState): void {
  admin.get(authPaths.adminOfficers, async () => state.directory.statuses());
  admin.post<{ Params: { id: string } }>('/v1/admin/officers/:id/release', async (request, reply) => {
    const released = state.directory.release(request.params.id);
    if (!released) return reply.code(404).send({ error: { code: 'unknown_officer', message: `No officer ${request.params.id} on this switch` } });
    return released;
  });
  admin.get<{ Querystring: { terminal?: string } }>(authPaths.adminAudit, async (request, reply) => {
    const terminal = request.query.terminal;
    if (!terminal) return reply.code(400).send({ error: { code: 'terminal_required', message: 'Name the terminal: ?terminal=ID' } });
    return state.audit.trail(terminal);
  });
}
