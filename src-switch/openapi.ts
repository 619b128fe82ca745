// The protocol as an OpenAPI 3.1 document, generated from the shared zod schemas so it cannot drift from them.
import { z } from 'zod';
import { Bolo, BoloRequest, ConfirmationAnswer, ErrorBody, ExecutionStats, Health, IDEMPOTENCY_HEADER, paths, QueryAccepted, QueryAnswer, QueryStatus, QuerySubmission } from '../src-shared/protocol.ts';
import { HotlistDelta, hotlistPaths, HotlistSnapshot } from '../src-shared/hotlist.ts';
import { LinkConditions } from '../src-shared/conditions.ts';
import { ConfirmationAccepted, ConfirmationRequest } from '../src-shared/confirmation.ts';
import { AuthRefusal, authPaths, OfficerStatus, Session, SignInRequest } from '../src-shared/auth.ts';
import { AuditReceipt, AuditRecord, AuditUpload } from '../src-shared/audit-chain.ts';

const SCHEMAS = {
  QuerySubmission,
  QueryAnswer,
  QueryAccepted,
  QueryStatus,
  Bolo,
  BoloRequest,
  ErrorBody,
  Health,
  HotlistSnapshot,
  HotlistDelta,
  ExecutionStats,
  LinkConditions,
  ConfirmationRequest,
  ConfirmationAccepted,
  ConfirmationAnswer,
  SignInRequest,
  Session,
  AuthRefusal,
  OfficerStatus,
  AuditUpload,
  AuditRecord,
  AuditReceipt,
};

/** Schemas of request bodies: their JSON Schema describes what the switch accepts, defaults optional. */
const INPUTS: ReadonlyArray<keyof typeof SCHEMAS> = ['QuerySubmission', 'BoloRequest', 'LinkConditions', 'ConfirmationRequest', 'SignInRequest', 'AuditUpload'];

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of one shared schema, as a request (input) or a response (output). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // Refinements (a VIN's check digit, a date of birth not in the future) are not expressible here: the
  // descriptions and the error body say what is refused, and the switch enforces them.
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof SCHEMAS) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: json('ErrorBody') });
const refused = (description: string) => ({ description, content: json('AuthRefusal') });

/** A CJI operation: it needs the officer's session, and says so, with the 401 every one of them can answer. */
function cji<T extends { responses: Record<number, unknown> }>(operation: T) {
  return { ...operation, security: [{ session: [] }], responses: { ...operation.responses, 401: refused('No session, or one expired, revoked, malformed, or from another terminal: sign in again') } };
}

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

/** Every admin operation needs the admin token; a change also refuses a foreign Origin (403) and a body that is not JSON (415). */
function guardAdminOperations(documentPaths: Record<string, Record<string, { responses: Record<number, unknown> } & Record<string, unknown>>>): void {
  for (const [path, operations] of Object.entries(documentPaths)) {
    if (!path.startsWith('/v1/admin')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      operation.security = [{ admin: [] }];
      operation.responses[401] = error('No admin token, or not this switch\'s (Authorization: Bearer <token>)');
      if (MUTATING.has(method)) {
        operation.responses[403] = error('Asked by a web page of another origin');
        operation.responses[415] = error('The body is not application/json');
      }
    }
  }
}

export function openApiDocument(): Record<string, unknown> {
  const components = Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, schema]) => [name, schemaOf(schema, INPUTS.includes(name as keyof typeof SCHEMAS) ? 'input' : 'output')]),
  );
  const idempotencyKey = {
    name: IDEMPOTENCY_HEADER,
    in: 'header',
    required: true,
    description: 'A UUID the terminal made when the query was entered. Same key and body: the first result again. Same key, other body: 422. Kept 24 hours.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9-]{16,64}$' },
  };
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Outrider message switch protocol',
      version: '1',
      description:
        'What an Outrider terminal expects of its agency message switch. Generated from the zod schemas in src-shared/; docs/protocol.md explains the event stream and the idempotency rules.',
    },
    paths: {
      [paths.health]: { get: { summary: 'Health probe', responses: { 200: { description: 'The switch is up', content: json('Health') } } } },
      [paths.queries]: {
        post: cji({
          summary: 'Submit a query',
          parameters: [
            idempotencyKey,
            {
              name: 'Prefer',
              in: 'header',
              required: false,
              description: "respond-async: answer 202 at once and deliver each part on the session's terminal's GET /v1/events.",
              schema: { type: 'string', enum: ['respond-async'] },
            },
          ],
          requestBody: { required: true, content: json('QuerySubmission') },
          responses: {
            200: { description: 'Every part of the answer (synchronous submission)', content: json('QueryAnswer') },
            202: { description: 'Accepted: the parts follow on the event stream (Prefer: respond-async)', content: json('QueryAccepted') },
            400: error('Missing or malformed Idempotency-Key, invalid query, or respond-async without a terminal'),
            413: error('Body larger than 16 KiB'),
            415: error('Body is not application/json'),
            422: error('Idempotency-Key already used for a different query, or by another terminal'),
            429: error('Too many requests: honour Retry-After'),
            503: error('The switch is failing: retry with backoff'),
          },
        }),
      },
      [`${paths.queries}/{key}`]: {
        get: cji({
          summary: 'Poll fallback: every part of one query so far',
          parameters: [
            { name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: 'The Idempotency-Key the query was sent with' },
            { name: 'terminal', in: 'query', required: false, schema: { type: 'string' }, description: "Optional; if given, the session's own terminal (another is 401)" },
          ],
          responses: { 200: { description: 'Parts so far', content: json('QueryStatus') }, 404: error("Unknown key, or a query another terminal's session ran, synchronous or not: resend the query") },
        }),
      },
      [paths.events]: {
        get: cji({
          summary: 'Server-sent event stream of answer parts and broadcasts',
          description:
            'Events: part (PartEvent), complete (QueryAnswer), bolo (Bolo), confirmation (ConfirmationAnswer, the YR to a YQ), gap (the terminal missed events the switch no longer holds: poll open queries). Resume with the Last-Event-ID header or the lastEventId parameter. A comment line is written every 5 s while idle.',
          parameters: [
            { name: 'terminal', in: 'query', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' }, description: "Optional: the stream is always the session's terminal's; another terminal named is 401" },
            { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
            { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 400: error('Missing or malformed terminal') },
        }),
      },
      [paths.confirmations]: {
        post: cji({
          summary: 'Ask the entering agency to confirm a hit (YQ); its answer (YR) follows as a confirmation event',
          parameters: [{ ...idempotencyKey, description: 'Made by the terminal for each request (a new one each time it asks again). Same key and body: the same 202 and no second YR.' }],
          requestBody: { required: true, content: json('ConfirmationRequest') },
          responses: {
            202: { description: 'Passed to the entering agency: the YR comes on GET /v1/events', content: json('ConfirmationAccepted') },
            400: error('Missing Idempotency-Key or invalid request'),
            422: error('Idempotency-Key already used for a different request, or by another terminal'),
          },
        }),
      },
      [hotlistPaths.hotlist]: {
        get: cji({
          summary: 'Hotlist snapshot, or the delta since a version',
          parameters: [{ name: 'since', in: 'query', required: false, schema: { type: 'string' }, description: 'A version from an earlier snapshot or delta, such as 3f9a2c1d.42' }],
          responses: { 200: { description: 'Snapshot or delta', content: { 'application/json': { schema: { oneOf: [ref('HotlistSnapshot'), ref('HotlistDelta')] } } } } },
        }),
      },
      ...authOperations(),
      [paths.adminStats]: { get: { summary: 'Executions per key (admin port, loopback)', responses: { 200: { description: 'Counters', content: json('ExecutionStats') } } } },
      [paths.adminConditions]: {
        get: { summary: 'Current drill link conditions (admin port)', responses: { 200: { description: 'Conditions', content: json('LinkConditions') } } },
        put: { summary: 'Change drill link conditions (admin port)', requestBody: { content: json('LinkConditions') }, responses: { 200: { description: 'Applied', content: json('LinkConditions') }, 400: error('Invalid conditions') } },
      },
      [paths.adminBolos]: {
        get: { summary: 'BOLOs issued (admin port)', responses: { 200: { description: 'Every BOLO', content: { 'application/json': { schema: { type: 'array', items: ref('Bolo') } } } } } },
        post: { summary: 'Issue a BOLO to every terminal (admin port)', requestBody: { content: json('BoloRequest') }, responses: { 201: { description: 'Issued', content: json('Bolo') }, 400: error('Invalid BOLO') } },
      },
    },
    components: {
      schemas: components,
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          description: `The token of a Session from ${authPaths.signIn}: signed by the switch, bound to the terminal that signed in, valid until expiresAt (12 hours after the sign-in with the code). The terminal and officer of every CJI request are the session's: a request naming another terminal is refused with 401.`,
        },
        admin: {
          type: 'http',
          scheme: 'bearer',
          description: "The admin port's token: 32 random bytes made on the switch's first start, kept owner-only in its data folder (admin.token), its path printed at start.",
        },
      },
    },
  };
  guardAdminOperations(document.paths as Parameters<typeof guardAdminOperations>[0]);
  return document;
}

/** Sign-in, renewal, sign-out and the audit upload on the protocol port; officers and audit trails on the admin port. */
function authOperations(): Record<string, unknown> {
  const chainRefusal = {
    type: 'object',
    required: ['error', 'message', 'seq', 'expected', 'expectedSeq'],
    properties: {
      error: { const: 'chain' },
      message: { type: 'string', description: 'Which record and what is wrong with it' },
      seq: { type: 'integer', description: 'The record that breaks the chain; the records before it in the upload were kept' },
      expected: { type: 'string', description: 'The last hash the switch holds for this terminal (64 zeros when none)' },
      expectedSeq: { type: 'integer', description: 'The seq the switch expects next: send from this record' },
    },
  };
  const trailRestart = {
    type: 'object',
    required: ['terminal', 'at', 'seq', 'afterSeq', 'message'],
    properties: { terminal: { type: 'string' }, at: { type: 'string' }, seq: { type: 'integer' }, afterSeq: { type: 'integer' }, message: { type: 'string' } },
  };
  const keptTrail = {
    type: 'object',
    required: ['terminal', 'records', 'segments', 'restarts'],
    properties: {
      terminal: { type: 'string' },
      records: { type: 'array', items: ref('AuditRecord') },
      segments: { type: 'integer', description: 'Chains kept: more than one when the trail started again' },
      restarts: { type: 'array', items: trailRestart, description: 'Where the trail started again (from GENESIS after records were held, or past record 1 at first): records may be missing before each' },
    },
  };
  const securityEvent = {
    type: 'object',
    required: ['at', 'kind', 'message'],
    properties: {
      at: { type: 'string', format: 'date-time' },
      kind: { enum: ['account_locked', 'address_throttled', 'token_replayed', 'account_released', 'audit_restarted'] },
      officer: { type: 'string' },
      terminal: { type: 'string' },
      address: { type: 'string' },
      message: { type: 'string' },
    },
  };
  const bearerOnly = { security: [{ session: [] }] };
  return {
    [authPaths.signIn]: {
      post: {
        summary: 'Sign an officer in on a terminal: password and one-time code (TOTP, SHA-1, 6 digits, 30 s)',
        requestBody: { required: true, content: json('SignInRequest') },
        responses: {
          200: { description: 'A session for this terminal, for 12 hours', content: json('Session') },
          400: error('Malformed request: the message names the field'),
          401: refused('credentials: officer ID, password or code is wrong, or the code was used already (the same answer whichever, and for an unknown ID); attemptsLeft before the account locks'),
          423: refused('locked: 5 failures within 15 minutes locked the account until an administrator releases it (sessions already open go on)'),
          429: refused('throttled: this address failed against too many officer IDs within 15 minutes; Retry-After says when to try again'),
        },
      },
    },
    [authPaths.renew]: {
      post: {
        ...bearerOnly,
        summary: 'A fresh token for the same session: signedInAt and expiresAt stay; the old token works 30 s more for requests in flight, and used after that ends the whole session',
        responses: { 200: { description: 'The renewed session', content: json('Session') }, 401: refused('session: expired, ended, malformed, or a replaced token used after its grace') },
      },
    },
    [authPaths.signOut]: {
      post: { ...bearerOnly, summary: 'End the session: every token of it (the sign-in and its renewals) stops working and its event streams close', responses: { 204: { description: 'Signed out (also when the token was already dead)' } } },
    },
    [authPaths.audit]: {
      post: cji({
        summary: "Upload the terminal's audit records, oldest first; the switch keeps them only as an unbroken hash chain",
        requestBody: { required: true, content: json('AuditUpload') },
        responses: {
          200: { description: 'Kept: the terminal may mark its records up to seq as uploaded', content: json('AuditReceipt') },
          400: error('Malformed upload'),
          403: error("audit_terminal: a record of another terminal; audit_officer: a record in the name of an officer who has not signed in on this terminal"),
          409: { description: 'A record changed, missing or out of order: nothing from it on was kept; send from expectedSeq', content: { 'application/json': { schema: chainRefusal } } },
        },
      }),
    },
    [authPaths.adminOfficers]: {
      get: { summary: 'Every officer, locked or not, with failures so far (admin port)', responses: { 200: { description: 'Officers', content: { 'application/json': { schema: { type: 'array', items: ref('OfficerStatus') } } } } } },
    },
    [`${authPaths.adminOfficers}/{id}/release`]: {
      post: {
        summary: 'Release a locked account and start its failure count again (admin port)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Released', content: json('OfficerStatus') }, 404: error('No such officer') },
      },
    },
    [authPaths.adminAudit]: {
      get: {
        summary: "A terminal's audit trail as the switch keeps it; without ?terminal=, every trail restart (admin port)",
        parameters: [{ name: 'terminal', in: 'query', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } }],
        responses: {
          200: {
            description: 'Records in the order kept, or { restarts } for every terminal',
            content: { 'application/json': { schema: { oneOf: [keptTrail, { type: 'object', required: ['restarts'], properties: { restarts: { type: 'array', items: trailRestart } } }] } } },
          },
          400: error('Malformed terminal'),
        },
      },
    },
    [authPaths.adminSecurityEvents]: {
      get: {
        summary: 'Lockouts, throttled addresses, replaced tokens used again and restarted audit trails, newest first (admin port)',
        responses: { 200: { description: 'Events', content: { 'application/json': { schema: { type: 'array', items: securityEvent } } } } },
      },
    },
  };
}
