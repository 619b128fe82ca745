// POST /v1/confirmations: a YQ to the entering agency, answered (YR) a little later on the asking terminal's event stream.
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { type ConfirmationAccepted, ConfirmationRequest } from '../../src-shared/confirmation.ts';
import { type ConfirmationAnswer, type FoundRecord, IDEMPOTENCY_HEADER, IdempotencyKey, paths, type RecordType } from '../../src-shared/protocol.ts';
import type { EventHub } from './event-hub.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { type ExecutionRecord, fingerprint } from './executions.ts';
import type { SwitchStore } from '../store/store.ts';
import { ownerOf } from '../auth/auth-routes.ts';
import { sendError } from './error-reply.ts';

/** How long the simulated entering agency takes to answer at latency scale 1: long enough to see the countdown in a drill. */
export const AGENCY_ANSWER_MS = 3_000;
const CONFIRMATIONS = 'confirmation';

interface HeldRequest {
  print: string;
  accepted: ConfirmationAccepted;
}

/** What the agency says of each kind of hit when it still stands. */
const STILL_STANDS: Partial<Record<RecordType, string>> = {
  stolen_vehicle: 'VEHICLE STILL STOLEN. HOLD SUBJECT',
  stolen_plate: 'PLATE STILL STOLEN. SEIZE PLATE',
  wanted_person: 'WARRANT STILL ACTIVE. WILL EXTRADITE. HOLD SUBJECT',
  missing_person: 'SUBJECT STILL MISSING. HOLD FOR ENTERING AGENCY',
  protection_order: 'ORDER IN FORCE AND SERVED',
  stolen_gun: 'GUN STILL STOLEN. SEIZE',
  stolen_article: 'ARTICLE STILL STOLEN. SEIZE',
};

export interface ConfirmationDeps {
  hub: EventHub;
  store: SwitchStore;
  /** The query runs the switch holds, by the terminal's Idempotency-Key: the agency answers about the hit they found. */
  lookup(queryId: string): Promise<ExecutionRecord | undefined>;
  now: () => Date;
  /** Multiplies the agency's answer time: 0 answers at once. */
  latencyScale: number;
}

/** The entering agency's YR: confirmed when the query the asking terminal ran (and only that terminal) found a hit that still stands. */
export function agencyAnswer(request: ConfirmationRequest, asker: string | undefined, run: ExecutionRecord | undefined, requestId: string, at: Date): ConfirmationAnswer {
  const base = { requestId, queryId: request.queryId, answeredAt: at.toISOString() };
  const hits: FoundRecord[] =
    run && run.owner === asker
      ? run.parts.flatMap((part) => part.records.filter((record) => STILL_STANDS[record.type] !== undefined))
      : [];
  const hit = hits[0];
  if (!hit) {
    return { ...base, confirmed: false, agency: 'UNKNOWN', text: 'YR: NOT CONFIRMED. THE SWITCH HOLDS NO HIT FOR THIS QUERY; RUN IT AGAIN BEFORE ASKING.' };
  }
  const agency = hit.fields.ORI ?? 'UNKNOWN';
  const record = hit.nic ? ` NIC/${hit.nic}.` : '';
  return { ...base, confirmed: true, agency, text: `YR: CONFIRMED. ${STILL_STANDS[hit.type]}.${record} ORI ${agency}` };
}

/** Registers the YQ route on the protocol server (so drill conditions apply to it, as to queries). */
export function registerConfirmations(app: FastifyInstance, deps: ConfirmationDeps): void {

  app.post(paths.confirmations, async (request, reply) => {
    const key = IdempotencyKey.safeParse(request.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
    if (!key.success) return sendError(reply, 400, 'bad_idempotency_key', `${IDEMPOTENCY_HEADER} header is required: 16-64 letters, digits or hyphens`);
    const parsed = ConfirmationRequest.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(reply, 400, 'invalid_confirmation', issue.message, issue.path.join('.') || undefined);
    }
    // The session's terminal asks, whatever the body says; another terminal's key is refused, not replayed.
    const asker = ownerOf(request);
    const print = fingerprint({ ...parsed.data, asker });
    const fresh: ConfirmationAccepted = { requestId: randomUUID(), queryId: parsed.data.queryId, receivedAt: deps.now().toISOString() };
    // Kept in the store like a query's record: a resend, on any node, after a restart too, is the same request.
    const existing = await deps.store.update<HeldRequest, HeldRequest | undefined>(CONFIRMATIONS, key.data, (current) =>
      current ? { result: current } : { next: { print, accepted: fresh }, expiresAt: deps.now().getTime() + FIELD_CONFIG.idempotencyRetentionMs, result: undefined },
    );
    if (existing && existing.print !== print) {
      return sendError(reply, 422, 'idempotency_key_reused', `${IDEMPOTENCY_HEADER} was already used for a different confirmation request`);
    }
    if (existing) return reply.code(202).header('Idempotent-Replayed', 'true').send(existing.accepted);
    const accepted = fresh;
    const answer = async () => {
      const run = await deps.lookup(parsed.data.queryId);
      await deps.hub.publish({ type: 'confirmation', data: agencyAnswer(parsed.data, asker, run, accepted.requestId, deps.now()) }, asker);
    };
    setTimeout(() => void answer().catch(() => undefined), AGENCY_ANSWER_MS * deps.latencyScale).unref();
    return reply.code(202).header('Idempotent-Replayed', 'false').send(accepted);
  });
}
