// What every query form does on Enter: validate with the shared schema, then queue durably.
import { describeQuery, type FieldErrors, validateQuery } from '../../src-shared/queries.ts';
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

/** After a failed submit, put the cursor on the first field that needs fixing. */
export function focusFirstInvalid(form: HTMLFormElement): void {
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
