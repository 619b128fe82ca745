// The shared zod schemas the OpenAPI document names, as JSON Schema, and the small helpers that point at them.
import { z } from 'zod';
import { Bolo, BoloRequest, ConfirmationAnswer, ErrorBody, ExecutionStats, GapEvent, Health, PartEvent, Readiness, QueryAccepted, QueryAnswer, QueryStatus, QuerySubmission } from '../../src-shared/protocol.ts';
import { HotlistChange, HotlistDelta, HotlistSnapshot, HotlistStatus } from '../../src-shared/hotlist.ts';
import { LinkConditions } from '../../src-shared/conditions.ts';
import { ConfirmationAccepted, ConfirmationRequest } from '../../src-shared/confirmation.ts';
import { AuthRefusal, OfficerStatus, Session, SignInRequest } from '../../src-shared/auth.ts';
import { AuditChainRefusal, AuditReceipt, AuditRecord, AuditUpload } from '../../src-shared/audit-chain.ts';
import { DrillReport, DrillStatus, ShippedDrill, StartDrill } from '../../src-shared/drill.ts';
import { DriveAnswer } from '../../src-shared/drive.ts';

export const SCHEMAS = {
  QuerySubmission,
  QueryAnswer,
  QueryAccepted,
  QueryStatus,
  PartEvent,
  GapEvent,
  Bolo,
  BoloRequest,
  ErrorBody,
  Health,
  Readiness,
  HotlistSnapshot,
  HotlistDelta,
  HotlistStatus,
  HotlistChange,
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
  AuditChainRefusal,
  ShippedDrill,
  StartDrill,
  DrillStatus,
  DrillReport,
  DriveAnswer,
};
export type SchemaName = keyof typeof SCHEMAS;

/** Schemas of request bodies: their JSON Schema describes what the switch accepts, defaults optional. */
const INPUTS: ReadonlyArray<SchemaName> = ['QuerySubmission', 'BoloRequest', 'LinkConditions', 'ConfirmationRequest', 'SignInRequest', 'AuditUpload', 'HotlistChange', 'StartDrill'];

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of one shared schema, as a request (input) or a response (output). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // Refinements (a VIN's check digit, a date of birth not in the future) are not expressible here: the
  // descriptions and the error body say what is refused, and the switch enforces them.
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** Every shared schema as `components.schemas`. */
export function componentSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, schemaOf(schema, INPUTS.includes(name as SchemaName) ? 'input' : 'output')]));
}

export const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });
export const error = (description: string) => ({ description, content: json('ErrorBody') });
export const refused = (description: string) => ({ description, content: json('AuthRefusal') });
export const arrayOf = (items: unknown) => ({ 'application/json': { schema: { type: 'array', items } } });
