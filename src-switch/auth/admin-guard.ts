// The admin port asks who is calling: every admin route wants the admin token as a bearer token, and a
// request that changes something must carry JSON and come from no foreign web page. Only the instructor
// page's own files are served without the token: they hold no data, and the page asks for the token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BEARER } from '../../src-shared/auth.ts';
import { sendError } from '../protocol/error-reply.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Constant-time comparison of what was sent with the token, whatever their lengths. */
function sameToken(given: string, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return /^application\/json\s*(;|$)/i.test(type);
}

/** The admin server's own origins: what the instructor page, loaded from it, sends as Origin. */
function ownOrigin(request: FastifyRequest, origin: string): boolean {
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/**
 * Guards every admin route but `openPaths`. 401 without the token (with the same body whatever was wrong with
 * it), 403 for a mutating request from a foreign Origin, 415 for one whose body is not JSON.
 */
export function guardAdmin(admin: FastifyInstance, token: string, openPaths: ReadonlySet<string>): void {
  admin.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (request.method === 'GET' && route !== undefined && openPaths.has(route)) return;
    const origin = request.headers.origin;
    if (MUTATING.has(request.method) && origin !== undefined && !ownOrigin(request, origin)) {
      return sendError(reply, 403, 'foreign_origin', `The admin server refuses changes asked by another web page (${origin})`);
    }
    const header = request.headers.authorization;
    if (!header?.startsWith(BEARER) || !sameToken(header.slice(BEARER.length).trim(), token)) {
      reply.header('WWW-Authenticate', 'Bearer realm="outrider-admin"');
      return sendError(reply, 401, 'admin_token', 'The admin port needs the admin token (Authorization: Bearer <token>); the switch printed where its file is');
    }
  });
  // After the body is read: a mutating request carries JSON, so no HTML form or text/plain post can pass for one.
  admin.addHook('preValidation', async (request, reply) => {
    if (!MUTATING.has(request.method)) return;
    const hasBody = request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    if ((request.method !== 'DELETE' || hasBody || request.headers['transfer-encoding'] !== undefined) && !isJson(request)) {
      return sendError(reply, 415, 'unsupported_media_type', 'Admin changes are sent as application/json');
    }
  });
}
