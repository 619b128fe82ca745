// Hit confirmation (NCIC YQ / YR): a terminal asks the entering agency whether a hit still stands. The YR comes on
// the event stream, so its shape (ConfirmationAnswer) lives with the other events in protocol.ts (which cannot import
// this file back: a module cycle would leave one side's schemas undefined at load). POST `paths.confirmations`.
import { z } from 'zod';
import { FIELD_CONFIG } from './field-config.ts';
import { IdempotencyKey, TerminalId } from './protocol.ts';

/** NCIC YQ priority: Urgent (U) is answered within 10 minutes, Routine (R) within an hour. */
export const ConfirmationPriority = z.enum(['urgent', 'routine']);
export type ConfirmationPriority = z.infer<typeof ConfirmationPriority>;

/** How long the entering agency has to answer (FIELD_CONFIG.confirmationDueMinutes, from the NCIC manual); then the terminal asks again. */
export const CONFIRMATION_DUE_MINUTES: Record<ConfirmationPriority, number> = FIELD_CONFIG.confirmationDueMinutes;

/** A YQ: which hit (the terminal's Idempotency-Key of the query that hit), how urgent, and whose stream gets the YR. */
export const ConfirmationRequest = z
  .object({
    queryId: IdempotencyKey,
    priority: ConfirmationPriority,
    terminal: TerminalId,
  })
  .strict();
export type ConfirmationRequest = z.infer<typeof ConfirmationRequest>;

/** The switch's 202: it has passed the YQ on to the entering agency. */
export const ConfirmationAccepted = z.object({
  requestId: z.string(),
  queryId: IdempotencyKey,
  receivedAt: z.iso.datetime(),
});
export type ConfirmationAccepted = z.infer<typeof ConfirmationAccepted>;

