// Sign-in, renewal, sign-out and the audit upload on the protocol port; officers and audit trails on the admin port.
import { authPaths } from '../../src-shared/auth.ts';
import { arrayOf, error, json, ref, refused } from './openapi-schemas.ts';
import { cji, open, throttledOrRateLimited } from './openapi-responses.ts';

/** Sign-in, renewal, sign-out and the audit upload on the protocol port; officers and audit trails on the admin port. */
export function authOperations(): Record<string, unknown> {
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
  return {
    [authPaths.signIn]: {
      post: open({
        operationId: 'signIn',
        summary: 'Sign an officer in on a terminal: password and one-time code (TOTP, SHA-1, 6 digits, 30 s)',
        requestBody: { required: true, content: json('SignInRequest') },
        responses: {
          200: { description: 'A session for this terminal, for 12 hours', content: json('Session') },
          400: error('Malformed request: the message names the field'),
          401: refused('credentials: officer ID, password or code is wrong, or the code was used already (the same answer whichever, and for an unknown ID); attemptsLeft before the account locks'),
          423: refused('locked: 5 failures within 15 minutes locked the account until an administrator releases it (sessions already open go on)'),
          429: throttledOrRateLimited('throttled (AuthRefusal): this address failed against too many officer IDs within 15 minutes; or a drill plays 429 (ErrorBody). Retry-After says when to try again'),
        },
      }),
    },
    [authPaths.renew]: {
      post: {
        operationId: 'renewSession',
        security: [{ session: [] }],
        summary: 'A fresh token for the same session: signedInAt and expiresAt stay; the old token works 30 s more for requests in flight, and used after that ends the whole session',
        responses: { 200: { description: 'The renewed session', content: json('Session') }, 401: refused('session: expired, ended, malformed, or a replaced token used after its grace') },
      },
    },
    [authPaths.signOut]: {
      post: {
        operationId: 'signOut',
        // Any token, or none: a sign-out retried after a lost reply, or of a dead token, is done all the same.
        security: [{ session: [] }, {}],
        summary: 'End the session: every token of it (the sign-in and its renewals) stops working and its event streams close',
        responses: { 204: { description: 'Signed out (also when the token was already dead, or none was sent)' } },
      },
    },
    [authPaths.audit]: {
      post: cji({
        operationId: 'uploadAudit',
        summary: "Upload the terminal's audit records, oldest first; the switch keeps them only as an unbroken hash chain",
        requestBody: { required: true, content: json('AuditUpload') },
        responses: {
          200: { description: 'Kept: the terminal may mark its records up to seq as uploaded', content: json('AuditReceipt') },
          400: error('Malformed upload'),
          403: error("audit_terminal: a record of another terminal; audit_officer: a record in the name of an officer who has not signed in on this terminal"),
          409: { description: 'A record changed, missing or out of order: nothing from it on was kept; send from expectedSeq', content: json('AuditChainRefusal') },
        },
      }),
    },
    [authPaths.adminOfficers]: {
      get: { operationId: 'listOfficers', summary: 'Every officer, locked or not, with failures so far (admin port)', responses: { 200: { description: 'Officers', content: arrayOf(ref('OfficerStatus')) } } },
    },
    [`${authPaths.adminOfficers}/{id}/release`]: {
      post: {
        operationId: 'releaseOfficer',
        summary: 'Release a locked account and start its failure count again (admin port)',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: '{}: an admin change is always sent as JSON' } } } },
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Released', content: json('OfficerStatus') }, 404: error('No such officer') },
      },
    },
    [authPaths.adminAudit]: {
      get: {
        operationId: 'getAuditTrail',
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
        operationId: 'listSecurityEvents',
        summary: 'Lockouts, throttled addresses, replaced tokens used again and restarted audit trails, newest first (admin port)',
        responses: { 200: { description: 'Events', content: arrayOf(securityEvent) } },
      },
    },
  };
}
