// The answers every route of a kind can give, whatever it does: added to each operation in one pass, so no
// operation forgets one and the document lists every status a client must be ready for.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { ADMIN_SERVER } from './openapi-admin.ts';
import { error, json, ref } from './openapi-schemas.ts';

type Responses = Record<string, unknown>;
type Operation = { responses: Responses } & Record<string, unknown>;
/** Path items: operations by method, and (admin paths) the server they are on. */
export type DocumentPaths = Record<string, Record<string, Operation | unknown[]>>;

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const reusable = (name: string) => ({ $ref: `#/components/responses/${name}` });
const retryAfter = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };

export const COMMON_HEADERS = {
  RetryAfter: {
    description: 'Seconds to wait before trying again (RFC 9110). A terminal honours it, then backs off with jitter.',
    schema: { type: 'integer', minimum: 0 },
  },
};

export const COMMON_RESPONSES = {
  Unavailable: {
    description:
      'The switch cannot answer now: its store is unreachable (with Retry-After), or a drill plays server errors. Nothing was executed: resend with the same Idempotency-Key.',
    headers: retryAfter,
    content: json('ErrorBody'),
  },
  RateLimited: { description: 'Too many requests (a drill plays it on every POST): honour Retry-After, then resend with the same key.', headers: retryAfter, content: json('ErrorBody') },
  TooLarge: error(`body_too_large: the body is larger than ${FIELD_CONFIG.maxBodyBytes} bytes`),
  NotJson: error('unsupported_media_type: a body that is not application/json'),
  MalformedBody: error('malformed_request or empty_body: the body is not JSON, or says application/json and is empty'),
  SessionRefused: {
    description: 'session: no bearer token, or one expired, ended, malformed, replaced, or naming another terminal than the request does. Sign in again.',
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="outrider"', schema: { type: 'string' } } },
    content: json('AuthRefusal'),
  },
  AdminToken: {
    description: "admin_token: no admin token, or not this switch's (Authorization: Bearer <token>)",
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="outrider-admin"', schema: { type: 'string' } } },
    content: json('ErrorBody'),
  },
  ForeignOrigin: error('foreign_origin: a change asked by a web page of another origin than the admin server'),
  ForeignHost: error('foreign_host: the request was addressed to a host name that is not loopback (DNS rebinding)'),
};

/** A CJI operation: it needs the officer's session, and says so, with the 401 every one of them can answer. */
export function cji<T extends { responses: Responses }>(operation: T) {
  return { ...operation, security: [{ session: [] }], responses: { ...operation.responses, 401: reusable('SessionRefused') } };
}

/** An open operation on the protocol port: no session needed. */
export const open = <T>(operation: T) => ({ ...operation, security: [] });

/** What a body-carrying request can meet before its route runs: too large, not JSON, not parseable. */
function bodyRefusals(responses: Responses): void {
  responses[400] ??= reusable('MalformedBody');
  responses[413] ??= reusable('TooLarge');
  responses[415] ??= reusable('NotJson');
}

/**
 * Protocol port: every request can meet the 503 (a store unreachable, a drill's server errors), every POST the
 * drill's 429 and the body refusals. Admin port: the admin token on everything, loopback names only, and for a
 * change a JSON body from no foreign page.
 */
export function addCommonResponses(documentPaths: DocumentPaths): void {
  for (const [path, operations] of Object.entries(documentPaths)) {
    const admin = path.startsWith('/v1/admin');
    for (const [method, operation] of Object.entries(operations) as Array<[string, Operation]>) {
      const { responses } = operation;
      if (MUTATING.has(method)) bodyRefusals(responses);
      if (admin) {
        operation.security = [{ admin: [] }];
        responses[401] = reusable('AdminToken');
        responses[421] = reusable('ForeignHost');
        if (MUTATING.has(method)) responses[403] = reusable('ForeignOrigin');
      } else if (method === 'post') {
        responses[429] ??= reusable('RateLimited');
      }
      responses[503] = reusable('Unavailable');
    }
    if (admin) operations.servers = [ADMIN_SERVER];
  }
}

/** The sign-in's own 429 (an address throttled) shares the status with the drill's: either body may come. */
export const throttledOrRateLimited = (description: string) => ({
  description,
  headers: retryAfter,
  content: { 'application/json': { schema: { oneOf: [ref('AuthRefusal'), ref('ErrorBody')] } } },
});
