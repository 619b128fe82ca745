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

export const QuerySubmission = z.object({
  query: Query,
  askedAt: z.iso.datetime({ error: 'askedAt must be an ISO 8601 UTC timestamp' }),
  priority: Priority.default('routine'),
  terminal: z.string().max(64).optional(),
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
  queries: `/${API_VERSION}/queries`,
  adminStats: `/${API_VERSION}/admin/stats`,
  adminConditions: `/${API_VERSION}/admin/conditions`,
} as const;
