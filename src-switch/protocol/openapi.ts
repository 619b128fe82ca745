// The protocol as an OpenAPI 3.1 document, generated from the shared zod schemas so it cannot drift from them.
import { IDEMPOTENCY_HEADER, paths } from '../../src-shared/protocol.ts';
import { hotlistPaths } from '../../src-shared/hotlist.ts';
import { authPaths } from '../../src-shared/auth.ts';
import { authOperations } from './openapi-auth.ts';
import { adminOperations, ADMIN_SERVER } from './openapi-admin.ts';
import { addCommonResponses, cji, COMMON_HEADERS, COMMON_RESPONSES, type DocumentPaths, open } from './openapi-responses.ts';
import { componentSchemas, error, json, ref } from './openapi-schemas.ts';

const TERMINAL_PATTERN = '^[A-Za-z0-9-]{8,64}$';

const idempotencyKey = {
  name: IDEMPOTENCY_HEADER,
  in: 'header',
  required: true,
  description: 'A UUID the terminal made when the query was entered. Same key and body: the first result again. Same key, other body: 422. Kept 24 hours.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9-]{16,64}$' },
};

const replayed = {
  'Idempotent-Replayed': { description: 'true when this is the first result again, for a key already executed', schema: { type: 'string', enum: ['true', 'false'] } },
};

/**
 * The event types of `GET /v1/events`, each with the schema of its `data` (JSON). OpenAPI 3.1 has no way to
 * say what a text/event-stream carries, so this extension does (docs/integrating.md says why not AsyncAPI).
 */
const STREAM_EVENTS = {
  part: { description: "One source's answer to one of this terminal's queries, as soon as it is ready", schema: ref('PartEvent') },
  complete: { description: 'Every source has answered: the whole answer, so the terminal can check it holds every part', schema: ref('QueryAnswer') },
  bolo: { description: 'A be-on-the-lookout broadcast to every terminal', schema: ref('Bolo') },
  gap: { description: 'The switch no longer holds events this terminal missed (it restarted, or they are too old): poll its open queries', schema: ref('GapEvent') },
  confirmation: { description: "The entering agency's YR to this terminal's YQ (POST /v1/confirmations)", schema: ref('ConfirmationAnswer') },
};

/** The stream's body: text whose every event's data is JSON of one of the event schemas (x-events says which type carries which). */
const eventStreamSchema = () => ({
  type: 'string',
  contentMediaType: 'text/event-stream',
  contentSchema: { description: "The JSON in each event's data line", oneOf: Object.values(STREAM_EVENTS).map((event) => event.schema) },
});

function protocolOperations(): DocumentPaths {
  return {
    [paths.health]: {
      get: open({ operationId: 'getHealth', summary: 'Health probe', responses: { 200: { description: 'The switch is up', content: json('Health') } } }),
    },
    [paths.ready]: {
      get: open({
        operationId: 'getReadiness',
        summary: "Readiness probe for a load balancer: 503 while this node cannot reach its store",
        responses: { 200: { description: 'This node can serve queries: its store answered', content: json('Readiness') } },
      }),
    },
    [paths.queries]: {
      post: cji({
        operationId: 'submitQuery',
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
          200: { description: 'Every part of the answer (synchronous submission)', headers: replayed, content: json('QueryAnswer') },
          202: {
            description: 'Accepted: the parts follow on the event stream (Prefer: respond-async)',
            headers: {
              ...replayed,
              'Preference-Applied': { description: 'respond-async', schema: { type: 'string' } },
              Location: { description: 'Where to poll this query: /v1/queries/<Idempotency-Key>', schema: { type: 'string' } },
            },
            content: json('QueryAccepted'),
          },
          400: error('missing_idempotency_key, bad_idempotency_key, invalid_query (field names the value), or terminal_required (respond-async without a terminal)'),
          422: error('idempotency_key_reused: the key was already used for a different query, or by another terminal'),
        },
      }),
    },
    [`${paths.queries}/{key}`]: {
      get: cji({
        operationId: 'pollQuery',
        summary: 'Poll fallback: every part of one query so far',
        parameters: [
          { name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: 'The Idempotency-Key the query was sent with' },
          { name: 'terminal', in: 'query', required: false, schema: { type: 'string' }, description: "Optional; if given, the session's own terminal (another is 401)" },
        ],
        responses: { 200: { description: 'Parts so far', content: json('QueryStatus') }, 404: error("unknown_query: unknown key, or a query another terminal's session ran, synchronous or not: resend the query") },
      }),
    },
    [paths.events]: {
      get: cji({
        operationId: 'streamEvents',
        summary: 'Server-sent event stream of answer parts and broadcasts',
        description:
          "The session's terminal's events, each with an id EPOCH-SEQ and one of the types in x-events (the schema of its JSON data). Resume with the Last-Event-ID header (EventSource sends it by itself) or the lastEventId parameter. A comment line is written every 5 s while idle; retry: 2000 sets the reconnection delay.",
        parameters: [
          { name: 'terminal', in: 'query', required: false, schema: { type: 'string', pattern: TERMINAL_PATTERN }, description: "Optional: the stream is always the session's terminal's; another terminal named is 401" },
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' }, description: 'The id of the last event the terminal stored' },
          { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' }, description: 'The same, for a reader that cannot set headers' },
        ],
        responses: {
          200: { description: 'The stream, open until the terminal or the switch closes it', content: { 'text/event-stream': { schema: eventStreamSchema(), 'x-events': STREAM_EVENTS } } },
          400: error('bad_terminal: missing or malformed terminal'),
        },
      }),
    },
    [paths.confirmations]: {
      post: cji({
        operationId: 'requestConfirmation',
        summary: 'Ask the entering agency to confirm a hit (YQ); its answer (YR) follows as a confirmation event',
        parameters: [{ ...idempotencyKey, description: 'Made by the terminal for each request (a new one each time it asks again). Same key and body: the same 202 and no second YR.' }],
        requestBody: { required: true, content: json('ConfirmationRequest') },
        responses: {
          202: { description: 'Passed to the entering agency: the YR comes on GET /v1/events', headers: replayed, content: json('ConfirmationAccepted') },
          400: error('bad_idempotency_key, or invalid_confirmation'),
          422: error('idempotency_key_reused: already used for a different request, or by another terminal'),
        },
      }),
    },
    [hotlistPaths.hotlist]: {
      get: cji({
        operationId: 'getHotlist',
        summary: 'Hotlist snapshot, or the delta since a version',
        parameters: [
          { name: 'since', in: 'query', required: false, schema: { type: 'string' }, description: 'A version from an earlier snapshot or delta, such as 3f9a2c1d.42' },
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag of the snapshot the terminal holds' },
        ],
        responses: {
          200: {
            description: 'Snapshot or delta',
            headers: { ETag: { description: 'W/"<version>"', schema: { type: 'string' } } },
            content: { 'application/json': { schema: { oneOf: [ref('HotlistSnapshot'), ref('HotlistDelta')] } } },
          },
          304: { description: 'The terminal holds this version already' },
          400: error('invalid_since: since is not a hotlist version'),
        },
      }),
    },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const documentPaths: DocumentPaths = { ...protocolOperations(), ...authOperations(), ...adminOperations() };
  addCommonResponses(documentPaths);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outrider message switch protocol',
      version: '1',
      description:
        'What an Outrider terminal expects of its agency message switch. Generated from the zod schemas in src-shared/; docs/protocol.md explains the event stream and the idempotency rules, docs/integrating.md how to put a real message switch behind it.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      {
        url: 'http://127.0.0.1:{port}',
        description: 'The reference switch on loopback (npm run switch; --port N). Admin operations are on the admin server named on their paths.',
        variables: { port: { default: '8787', description: 'The protocol port' } },
      },
      {
        url: 'https://{host}',
        description: "An agency's switch: the switchUrl of its agency profile (always https)",
        variables: { host: { default: 'switch.agency.invalid', description: "The switch's host name (and :port)" } },
      },
    ],
    // CJI unless an operation says otherwise: the open ones (health, sign-in, sign-out) and the admin port's.
    security: [{ session: [] }],
    paths: documentPaths,
    components: {
      schemas: componentSchemas(),
      responses: COMMON_RESPONSES,
      headers: COMMON_HEADERS,
      securitySchemes: {
        session: {
          type: 'http',
          scheme: 'bearer',
          description: `The token of a Session from POST ${authPaths.signIn}: signed by the switch, bound to the terminal that signed in, valid until expiresAt (12 hours after the sign-in with the code). The terminal and officer of every CJI request are the session's: a request naming another terminal is refused with 401.`,
        },
        admin: {
          type: 'http',
          scheme: 'bearer',
          description: `The admin server's token (${ADMIN_SERVER.url}): 32 random bytes made on the switch's first start, kept owner-only in its data folder (admin.token, or --admin-token-file), its path printed at start.`,
        },
      },
    },
  };
}
