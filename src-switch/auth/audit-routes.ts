// The audit upload on the protocol port (behind the session check, like every CJI endpoint) and the
// administrator's view of what the switch keeps, on the admin port.
import type { FastifyInstance } from 'fastify';
import { AuditUpload } from '../../src-shared/audit-chain.ts';
import { authPaths } from '../../src-shared/auth.ts';
import { TerminalId } from '../../src-shared/protocol.ts';
import { sendError } from '../error-reply.ts';
import type { AuditKeeper } from './audit-keeper.ts';

export function registerAudit(app: FastifyInstance, audit: AuditKeeper): void {
  app.post(authPaths.audit, async (request, reply) => {
    const upload = AuditUpload.safeParse(request.body);
    if (!upload.success) {
      const issue = upload.error.issues[0]!;
      return sendError(reply, 400, 'invalid_audit', `${issue.path.join('.') || 'upload'}: ${issue.message}`);
    }
    const { terminal, records } = upload.data;
    // A switch keeps one chain per terminal: a record from another belongs in that terminal's upload.
    const stranger = records.find((record) => record.terminal !== terminal);
    if (stranger) return sendError(reply, 400, 'invalid_audit', `record ${stranger.seq} is from terminal ${stranger.terminal}, not ${terminal}`);
    const kept = audit.keep(terminal, records);
    if (!kept.ok) return reply.code(409).send({ error: 'chain', message: kept.message, seq: kept.seq, expected: kept.expected });
    return kept.receipt;
  });
}

export function registerAuditAdmin(admin: FastifyInstance, audit: AuditKeeper): void {
  admin.get<{ Querystring: { terminal?: string } }>(authPaths.adminAudit, async (request, reply) => {
    const terminal = TerminalId.safeParse(request.query.terminal);
    if (!terminal.success) return sendError(reply, 400, 'bad_terminal', `terminal: ${terminal.error.issues[0]!.message} (ask with ?terminal=ID)`);
    return audit.trail(terminal.data);
  });
}
