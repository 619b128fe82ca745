// The switch protocol: request and answer shapes that the switch, the renderer and the tests share.
import { z } from 'zod';
import { Query } from './queries.ts';

export const API_VERSION = 'v1';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Keys are UUIDs made by the terminal when the query is entered (IETF Idempotency-Key draft). */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9-]{16,64}$/, {
  error: 'Idempotency-Key must be 16-64 letters, digits or hyphens',
});

export const Priority = z.enum(['emergency', 'officer_safety', 'routine']);
export type Priority = z.infer<typeof Priority>;

/** A terminal's identity on the switch: a UUID it makes once per install. Events are delivered per terminal. */
export const TerminalId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'terminal must be 8-64 letters, digits or hyphens' });

export const QuerySubmission = z.object({
  query: Query,
  askedAt: z.iso.datetime({ error: 'askedAt must be an ISO 8601 UTC timestamp' }),
  priority: Priority.default('routine'),
  /** Required with `Prefer: respond-async`: the answer's parts go to this terminal's event stream. */
  terminal: TerminalId.optional(),
});
export type QuerySubmission = z.infer<typeof QuerySubmission>;

export const Source = z.enum(['DMV', 'SVS', 'WPS', 'NCIC']);
export type Source = z.infer<typeof Source>;
export const SOURCE_NAMES: Record<Source, string> = {
  DMV: 'DMV registration',
  SVS: 'State stolen vehicles',
  WPS: 'State wanted persons',
  NCIC: 'FBI NCIC',
};

export const RecordType = z.enum([
  'registration',
  'stolen_vehicle',
  'stolen_plate',
  'wanted_person',
  'missing_person',
  'protection_order',
  'stolen_gun',
  'stolen_article',
  'driver_licence',
]);
export type RecordType = z.infer<typeof RecordType>;

export const Caution = z.enum(['armed_and_dangerous', 'violent', 'officer_safety', 'suicidal', 'medical']);
export type Caution = z.infer<typeof Caution>;

export const FoundRecord = z.object({
  type: RecordType,
  nic: z.string().optional(),
  summary: z.string(),
  fields: z.record(z.string(), z.string()),
  cautions: z.array(Caution),
});
export type FoundRecord = z.infer<typeof FoundRecord>;

export const PartStatus = z.enum(['record', 'not_on_file', 'unavailable']);
export type PartStatus = z.infer<typeof PartStatus>;

/** One source's answer. Hits are decided from `records`, never from `text`. */
export const AnswerPart = z.object({
  source: Source,
  status: PartStatus,
  records: z.array(FoundRecord),
  text: z.string(),
  answeredAt: z.iso.datetime(),
});
export type AnswerPart = z.infer<typeof AnswerPart>;

export const QueryAnswer = z.object({
  queryId: z.string(),
  idempotencyKey: IdempotencyKey,
  receivedAt: z.iso.datetime(),
  parts: z.array(AnswerPart),
});
export type QueryAnswer = z.infer<typeof QueryAnswer>;

/** `Prefer: respond-async` (RFC 7240): accept now, deliver the parts on the event stream as each source answers. */
export const PREFER_ASYNC = 'respond-async';

/** The 202 to an asynchronous submission: the switch holds the query; parts follow on `GET /v1/events`. */
export const QueryAccepted = z.object({
  queryId: z.string(),
  idempotencyKey: IdempotencyKey,
  receivedAt: z.iso.datetime(),
  /** The sources the query fans out to: one part will come from each. */
  sources: z.array(Source),
});
export type QueryAccepted = z.infer<typeof QueryAccepted>;

/** `GET /v1/queries/:key`, the poll fallback: every part so far, and whether all sources have answered. */
export const QueryStatus = QueryAnswer.extend({
  sources: z.array(Source),
  complete: z.boolean(),
});
export type QueryStatus = z.infer<typeof QueryStatus>;

/** A be-on-the-lookout broadcast, pushed to every terminal's event stream. */
export const Bolo = z.object({
  id: z.string(),
  issuedAt: z.iso.datetime(),
  title: z.string().min(1).max(80),
  text: z.string().min(1).max(2000),
  /** A plate to watch for, when the BOLO is about a vehicle. */
  lic: z.string().max(10).optional(),
  lis: z.string().length(2).optional(),
  cautions: z.array(Caution).default([]),
});
export type Bolo = z.infer<typeof Bolo>;

/** What an instructor (or the agency) posts to issue a BOLO; the switch adds the id and time. */
export const BoloRequest = Bolo.omit({ id: true, issuedAt: true });
export type BoloRequest = z.input<typeof BoloRequest>;

/**
 * The event stream (`text/event-stream`). Each event's `id` is `EPOCH-SEQ`: EPOCH names the switch
 * process, so a terminal resuming against a restarted switch is recognised and sent everything.
 *  - `part`: one source's answer to one of this terminal's queries, as soon as it is ready;
 *  - `complete`: every source has answered; carries the whole answer so a terminal can check it holds all parts;
 *  - `bolo`: a broadcast to every terminal;
 *  - `gap`: the switch no longer holds events this terminal missed: poll `GET /v1/queries/:key` for anything open;
 *  - `confirmation`: the entering agency's YR to this terminal's YQ (`POST /v1/confirmations`).
 */
export const PartEvent = z.object({ idempotencyKey: IdempotencyKey, queryId: z.string(), receivedAt: z.iso.datetime(), part: AnswerPart });
export type PartEvent = z.infer<typeof PartEvent>;
export const CompleteEvent = QueryAnswer;
export const GapEvent = z.object({ reason: z.string() });
/** `confirmation`: the entering agency's YR to a YQ this terminal sent (see confirmation.ts). */
export const ConfirmationAnswer = z.object({
  requestId: z.string(),
  /** The terminal's Idempotency-Key of the query whose hit was to be confirmed. */
  queryId: IdempotencyKey,
  answeredAt: z.iso.datetime(),
  confirmed: z.boolean(),
  /** The ORI of the agency that answered ("UNKNOWN" when the switch could not route the YQ). */
  agency: z.string().min(1).max(20),
  text: z.string().min(1).max(2000),
});
export type ConfirmationAnswer = z.infer<typeof ConfirmationAnswer>;
export const SwitchEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('part'), data: PartEvent }),
  z.object({ type: z.literal('complete'), data: CompleteEvent }),
  z.object({ type: z.literal('bolo'), data: Bolo }),
  z.object({ type: z.literal('gap'), data: GapEvent }),
  z.object({ type: z.literal('confirmation'), data: ConfirmationAnswer }),
]);
export type SwitchEvent = z.infer<typeof SwitchEvent>;
export const EVENT_TYPES = ['part', 'complete', 'bolo', 'gap', 'confirmation'] as const;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Health = z.object({
  status: z.literal('ok'),
  switchTime: z.iso.datetime(),
  drill: z.boolean(),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;

/**
 * A load balancer's readiness probe: this node can serve queries now, its store reached. A node whose store
 * is out of reach answers 503 (store_unavailable) instead, and the balancer sends its cars to another.
 */
export const Readiness = z.object({
  status: z.literal('ready'),
  store: z.enum(['memory', 'sqlite', 'postgres']),
});
export type Readiness = z.infer<typeof Readiness>;

/** Switch-side counters a drill instructor (and the tests) read: executions per idempotency key. */
export const ExecutionStats = z.object({
  received: z.number(),
  executed: z.number(),
  replayed: z.number(),
  byKey: z.record(z.string(), z.number()),
  /** The most recent executions in order, with their lane: how a drill shows that urgent queries went first. */
  recent: z.array(z.object({ key: z.string(), priority: Priority })),
});
export type ExecutionStats = z.infer<typeof ExecutionStats>;

export const paths = {
  health: `/${API_VERSION}/health`,
  /** Readiness for a load balancer: 503 while the node cannot reach its store (unlike health, which says only that it is up). */
  ready: `/${API_VERSION}/ready`,
  queries: `/${API_VERSION}/queries`,
  /** `GET /v1/queries/:key`: the poll fallback for one query. */
  query: (key: string) => `/${API_VERSION}/queries/${encodeURIComponent(key)}`,
  events: `/${API_VERSION}/events`,
  confirmations: `/${API_VERSION}/confirmations`,
  openapi: `/${API_VERSION}/openapi.json`,
  adminBolos: `/${API_VERSION}/admin/bolos`,
  adminStats: `/${API_VERSION}/admin/stats`,
  adminConditions: `/${API_VERSION}/admin/conditions`,
} as const;
