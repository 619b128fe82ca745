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
import { IdempotencyStore } from './idempotency.ts';
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

export function buildSwitch(options: SwitchOptions = {}): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const latencyScale = options.latencyScale ?? 1;
  const store = new IdempotencyStore(FIELD_CONFIG.idempotencyRetentionMs);
  let received = 0;

  // The switch logs no request bodies and no URLs with query data: they are CJI.
  const app = Fastify({ logger: false, bodyLimit: FIELD_CONFIG.maxBodyBytes });
  app.setErrorHandler(onError);
  // The protocol is JSON only; a text body is refused with 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  app.register(cors, {
    origin: [...(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS)],
    allowedHeaders: ['Content-Type', IDEMPOTENCY_HEADER],
    methods: ['GET', 'POST'],
    maxAge: 600,
  });

  app.get(paths.health, async (): Promise<Health> => ({
    status: 'ok',
    switchTime: now().toISOString(),
    drill: options.drill ?? true,
    version: options.version ?? '0.1.0',
  }));

  app.post(paths.queries, async (request, reply) => {
    received++;
    const rawKey = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (rawKey === undefined) return sendError(reply, 400, 'missing_idempotency_key', `${IDEMPOTENCY_HEADER} header is required`);
    const key = IdempotencyKey.safeParse(rawKey);
    if (!key.success) return sendError(reply, 400, 'bad_idempotency_key', key.error.issues[0]!.message);

    const submission = QuerySubmission.safeParse(request.body);
    if (!submission.success) {
      const issue = submission.error.issues[0]!;
      return sendError(reply, 400, 'invalid_query', issue.message, issue.path.join('.') || undefined);
    }

    const admission = store.admit(key.data, submission.data, async (): Promise<QueryAnswer> => {
      const receivedAt = now().toISOString();
      const parts = await fanOut(submission.data.query, latencyScale, now);
      return { queryId: randomUUID(), idempotencyKey: key.data, receivedAt, parts };
    });
    if (admission.kind === 'mismatch') {
      return sendError(reply, 422, 'idempotency_key_reused', `${IDEMPOTENCY_HEADER} was already used for a different query`);
    }
    reply.header('Idempotent-Replayed', admission.kind === 'replay' ? 'true' : 'false');
    return admission.result;
  });

  // Loopback-only counters for drill instructors and tests; the switch never listens beyond loopback.
  app.get(paths.adminStats, async (): Promise<ExecutionStats> => ({ received, ...store.stats() }));

  return app;
}
