// The audit upload on the protocol port (behind the session check, like every CJI endpoint) and the
// administrator's view of what the switch keeps, on the admin port.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditChainRefusal, type AuditRecord, AuditUpload } from '../../src-shared/audit-chain.ts';
import { authPaths } from '../../src-shared/auth.ts';
import { TerminalId } from '../../src-shared/protocol.ts';
import { sendError } from '../protocol/error-reply.ts';
import type { AuthState } from './auth-routes.ts';

/**
 * Whether `record` may be kept under the request's session: it names the session's officer, nobody (before a
 * sign-in), the officer tried in a failed sign-in, or an officer who held an earlier shift on this terminal
 * (the tail of that shift, uploaded by the next officer). A record putting words in anyone else's name is refused.
 */
async function officerAllowed(state: AuthState, request: FastifyRequest, record: AuditRecord): Promise<boolean> {
  const session = request.session;
  if (!session) return true;
  if (record.officer === '' || record.officer === session.officer || record.action === 'session.signin_failed') return true;
  return state.audit.hadShiftOn(session.terminal, record.officer);
}

export function registerAudit(app: FastifyInstance, state: AuthState): void {
  app.post(authPaths.audit, async (request, reply) => {
    const upload = AuditUpload.safeParse(request.body);
    if (!upload.success) {
      const issue = upload.error.issues[0]!;
      return sendError(reply, 400, 'invalid_audit', `${issue.path.join('.') || 'upload'}: ${issue.message}`);
    }
    // The session's terminal: the session check has refused a body naming another.
    const terminal = request.session?.terminal ?? upload.data.terminal;
    const { records } = upload.data;
    // A switch keeps one chain per terminal: a record from another belongs in that terminal's upload.
    const stranger = records.find((record) => record.terminal !== terminal);
    if (stranger) return sendError(reply, 403, 'audit_terminal', `record ${stranger.seq} is from terminal ${stranger.terminal}, not ${terminal}, the session's`);
    const allowed = await Promise.all(records.map((record) => officerAllowed(state, request, record)));
    const impostor = records.find((_record, index) => !allowed[index]);
    if (impostor) {
      return sendError(reply, 403, 'audit_officer', `record ${impostor.seq} names officer ${impostor.officer}, who has not signed in on ${terminal}: a session uploads its own officer's records`);
    }
    const kept = await state.audit.keep(terminal, records, state.now());
    for (const restart of kept.restarts) await state.security.record({ at: restart.at, kind: 'audit_restarted', terminal, message: restart.message });
    if (!kept.ok) {
      const refusal: AuditChainRefusal = { error: { code: 'chain', message: kept.message }, seq: kept.seq, expected: kept.expected, expectedSeq: kept.expectedSeq };
      return reply.code(409).send(refusal);
    }
    return kept.receipt;
  });
}

export function registerAuditAdmin(admin: FastifyInstance, state: AuthState): void {
  admin.get<{ Querystring: { terminal?: string } }>(authPaths.adminAudit, async (request, reply) => {
    if (request.query.terminal === undefined) return { restarts: await state.audit.restarts() };
    const terminal = TerminalId.safeParse(request.query.terminal);
    if (!terminal.success) return sendError(reply, 400, 'bad_terminal', `terminal: ${terminal.error.issues[0]!.message} (ask with ?terminal=ID)`);
    return state.audit.trail(terminal.data);
  });
}
