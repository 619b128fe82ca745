// What every query form does on Enter: validate with the shared schema, then queue durably.
import { describeQuery, type FieldErrors, type Query, validateQuery } from '../../src-shared/queries.ts';
import type { Priority } from '../../src-shared/protocol.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { DEFAULT_PRIORITY } from './priority.ts';

export type SubmitResult = { ok: true; queued: string; description: string } | { ok: false; errors: FieldErrors };

export async function submitQuery(outbox: Pick<Outbox, 'enqueue'>, input: Record<string, string>, priority?: Priority): Promise<SubmitResult> {
  const validation = validateQuery(input);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  try {
    const entry = await outbox.enqueue(validation.value, priority ?? DEFAULT_PRIORITY[validation.value.kind]);
    return { ok: true, queued: entry.id, description: describeQuery(entry.query) };
  } catch (error) {
    const full = error instanceof Error && (error.name === 'QuotaExceededError' || error.message.includes('QuotaExceeded'));
    const message = full
      ? 'This device is out of storage: the query was NOT queued. Queries already queued are safe.'
      : `The query could not be saved and was NOT queued: ${(error as Error).message}`;
    return { ok: false, errors: { kind: message } };
  }
}

/** The form as typed, when it is a valid query so far, is sealed ahead (Intake.prepare): Enter has one seal less to make. */
export function prepareQuery(outbox: Pick<Outbox, 'prepare'>, input: Record<string, string>): void {
  const validation = validateQuery(input);
  if (validation.ok) outbox.prepare(validation.value);
}

/** After a failed submit, put the cursor on the first field that needs fixing. */
export function focusFirstInvalid(form: HTMLFormElement): void {
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/** A stored query as the form would have sent it: every field as typed, optional ones left out. */
export function queryInput(query: Query): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((field): field is [string, string] => typeof field[1] === 'string'));
}

/**
 * Runs a recalled query again as a new one: validated and queued through the same path as the form,
 * in the lane it first went in, with its own new idempotency key (the first run's answer stays as it was).
 */
export function rerunQuery(outbox: Pick<Outbox, 'enqueue'>, previous: { query: Query; priority: Priority }): Promise<SubmitResult> {
  return submitQuery(outbox, queryInput(previous.query), previous.priority);
}
