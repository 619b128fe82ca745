// The protocol's error body, `{error: {code, message, field?}}`, sent with its status: one helper for every route.
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '../../src-shared/protocol.ts';

export function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  const body: ErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  return reply.code(status).send(body);
}
