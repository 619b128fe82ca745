// The reference message switch: a Fastify server speaking the protocol in src-shared.
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import {
  type ErrorBody,
  type ExecutionStats,
  type Health,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  paths,
  type QueryAnswer,
  QuerySubmission,
} from '../src-shared/protocol.ts';
import { extraSourceLatencyMs, LinkConditions } from '../src-shared/conditions.ts';
import { ConditionPlayer, seededRandom } from './conditions.ts';
import { refuseForeignHosts, registerDrillAdmin } from './drill/admin-routes.ts';
import { DrillSession } from './drill/drill-session.ts';
import { QueryLedger } from './drill/query-ledger.ts';
import { registerHotlist, registerHotlistAdmin } from './hotlist-routes.ts';
import { IdempotencyStore } from './idempotency.ts';
import { defaultSwitchData, type SwitchData } from './switch-data.ts';
import { fanOut } from './sources.ts';

export interface SwitchOptions {
  /** Multiplies every source's latency: 0 answers at once, 1 is the realistic default. */
  latencyScale?: number;
  /** Whether this switch is the bundled drill switch (shown on the terminal). */
  drill?: boolean;
  /** Origins allowed to call the switch from a browser; loopback and the app:// shell by default. */
  allowedOrigins?: ReadonlyArray<string | RegExp>;
  now?: () => Date;
  version?: string;
  /** Seed for the drill's random rolls (loss, errors), so a drill plays the same way twice. */
  seed?: number;
  /** The records and hotlist the switch answers from; the default seeded set when absent. */
  data?: SwitchData;
}

export const DEFAULT_ALLOWED_ORIGINS: ReadonlyArray<string | RegExp> = [
  /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/,
  /^app:\/\/[a-z0-9-]+$/,
];

function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  const body: ErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  return reply.code(status).send(body);
}

/** Maps Fastify's own failures (bad JSON, oversized body) to the protocol's error body. */
function onError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(reply, 413, 'body_too_large', `Request body is larger than ${FIELD_CONFIG.maxBodyBytes} bytes`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(reply, 415, 'unsupported_media_type', 'Send the query as application/json');
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 400, 'empty_body', 'Request body is empty');
  if ((error.statusCode ?? 500) < 500) return sendError(reply, error.statusCode ?? 400, 'malformed_request', `Malformed request: ${error.message}`);
  return sendError(reply, 500, 'internal', 'The switch failed to process the request');
}

/** The protocol server: what terminals talk to, and what drill conditions act on. */
function buildProtocol(
  options: SwitchOptions,
  data: SwitchData,
  store: IdempotencyStore,
  conditions: () => ConditionPlayer,
  counters: { received: number },
  ledger: QueryLedger,
): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const latencyScale = options.latencyScale ?? 1;
  // The switch logs no request bodies and no URLs with query data: they are CJI.
  const app = Fastify({ logger: false, bodyLimit: FIELD_CONFIG.maxBodyBytes, forceCloseConnections: true });
  app.setErrorHandler(onError);
  // The protocol is JSON only; a text body is refused with 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  app.register(cors, {
    origin: [...(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS)],
    allowedHeaders: ['Content-Type', IDEMPOTENCY_HEADER, 'If-None-Match'],
    exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'ETag'],
    methods: ['GET', 'POST'],
    maxAge: 600,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS' && (await conditions().gate(request, reply))) return reply;
  });

  app.get(paths.health, async (): Promise<Health> => ({
    status: 'ok',
    switchTime: now().toISOString(),
    drill: options.drill ?? true,
    version: options.version ?? '0.1.0',
  }));

  app.post(paths.queries, async (request, reply) => {
    counters.received++;
    const rawKey = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (rawKey === undefined) return sendError(reply, 400, 'missing_idempotency_key', `${IDEMPOTENCY_HEADER} header is required`);
    const key = IdempotencyKey.safeParse(rawKey);
    if (!key.success) return sendError(reply, 400, 'bad_idempotency_key', key.error.issues[0]!.message);

    const submission = QuerySubmission.safeParse(request.body);
    if (!submission.success) {
      const issue = submission.error.issues[0]!;
      return sendError(reply, 400, 'invalid_query', issue.message, issue.path.join('.') || undefined);
    }
    ledger.received(key.data);

    const admission = store.admit(key.data, submission.data, async (): Promise<QueryAnswer> => {
      const receivedAt = now().toISOString();
      const parts = await fanOut(submission.data.query, latencyScale, now, data.store, (source) => extraSourceLatencyMs(conditions().current, source));
      return { queryId: randomUUID(), idempotencyKey: key.data, receivedAt, parts };
    });
    ledger.admitted(key.data, admission.kind);
    if (admission.kind === 'mismatch') {
      return sendError(reply, 422, 'idempotency_key_reused', `${IDEMPOTENCY_HEADER} was already used for a different query`);
    }
    const answer = await admission.result;
    if (conditions().spoilAnswer(request, reply, answer)) return reply;
    reply.header('Idempotent-Replayed', admission.kind === 'replay' ? 'true' : 'false');
    // 'finish': the whole answer went out on the terminal's connection. A dropped or cut answer never gets here.
    reply.raw.once('finish', () => ledger.delivered(key.data));
    return answer;
  });
  registerHotlist(app, data.hotlist);
  return app;
}

/** The admin server: loopback only, on its own port so an outage drill cannot lock the instructor out. */
function buildAdmin(data: SwitchData, store: IdempotencyStore, conditions: ConditionPlayer, counters: { received: number }, drills: DrillSession): FastifyInstance {
  const admin = Fastify({ logger: false, bodyLimit: FIELD_CONFIG.maxBodyBytes, forceCloseConnections: true });
  admin.setErrorHandler(onError);
  refuseForeignHosts(admin);
  admin.get(paths.adminStats, async (): Promise<ExecutionStats> => ({ received: counters.received, ...store.stats() }));
  admin.get(paths.adminConditions, async () => conditions.current);
  admin.put(paths.adminConditions, async (request, reply) => {
    const parsed = LinkConditions.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(reply, 400, 'invalid_conditions', `${issue.path.join('.') || 'conditions'}: ${issue.message}`, issue.path.join('.'));
    }
    await conditions.set(parsed.data);
    return conditions.current;
  });
  registerHotlistAdmin(admin, data.hotlist);
  registerDrillAdmin(admin, drills);
  return admin;
}

export interface SwitchAddresses {
  url: string;
  adminUrl: string;
}

/** The reference message switch: a protocol server and an admin server sharing one record of executions. */
export class MessageSwitch {
  readonly protocol: FastifyInstance;
  readonly admin: FastifyInstance;
  readonly conditions: ConditionPlayer;
  /** The drill playing, its report, and the page an instructor drives them from (admin server, `/`). */
  readonly drills: DrillSession;
  readonly #counters = { received: 0 };

  constructor(options: SwitchOptions = {}) {
    const store = new IdempotencyStore(FIELD_CONFIG.idempotencyRetentionMs);
    // Built here, at start-up, so the first officer's query does not pay for generating the data set.
    const data = options.data ?? defaultSwitchData();
    const now = options.now ?? (() => new Date());
    const ledger = new QueryLedger(() => now().getTime());
    this.protocol = buildProtocol(options, data, store, () => this.conditions, this.#counters, ledger);
    this.conditions = new ConditionPlayer(this.protocol, seededRandom(options.seed ?? 1));
    // A drill's restart step restarts the listener only: this idempotency store, like a real switch's durable one, survives it.
    this.drills = new DrillSession(this.conditions, ledger);
    this.admin = buildAdmin(data, store, this.conditions, this.#counters, this.drills);
  }

  async listen({ port = 0, adminPort = 0, host = '127.0.0.1' }: { port?: number; adminPort?: number; host?: string } = {}): Promise<SwitchAddresses> {
    const url = await this.protocol.listen({ port, host });
    const adminUrl = await this.admin.listen({ port: adminPort, host });
    return { url: url.replace('localhost', '127.0.0.1'), adminUrl: adminUrl.replace('localhost', '127.0.0.1') };
  }

  async close(): Promise<void> {
    await this.drills.stop();
    await this.conditions.settle();
    await Promise.all([this.protocol.close(), this.admin.close()]);
  }
}
