// What a soak counts by, on top of tests/support/terminal-records.ts: the queue by status as the next start-up
// will find it, kept lines by subject, and alerts acknowledged as an officer does.
import type { Page } from '@playwright/test';
import type { AuditRecord } from '../src-shared/audit-chain.ts';
import { readStore } from '../tests/support/terminal-records.ts';

/** The fields of the terminal's stored rows a soak counts by; the rest (sealed CJI) is never opened. */
export interface StoredOutboxRow {
  id: string;
  status: string;
}
export interface StoredAlertRow {
  id: string;
  queryId: string;
  acknowledgedAt: number;
}

/** Outbox rows by status, with the intake's rows (entered, not yet taken into the outbox) as `intake`. */
export async function queueCounts(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await readStore<StoredOutboxRow>(page, 'outbox')) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const intake = (await readStore<StoredOutboxRow>(page, 'intake')).length;
  if (intake > 0) counts.intake = intake;
  return counts;
}

/** How many kept lines of `action` name each subject. */
export function linesBySubject(records: readonly AuditRecord[], action: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) if (record.action === action) counts.set(record.subject, (counts.get(record.subject) ?? 0) + 1);
  return counts;
}

/**
 * Acknowledges every alert up, as an officer does between queries, and resolves with how many. Clicks that
 * miss (the dialog changed, or the browser was killed under it) are not counted.
 */
export async function acknowledgeAlerts(page: Page): Promise<number> {
  const dialog = page.getByRole('alertdialog');
  let acknowledged = 0;
  for (let i = 0; i < 100 && (await dialog.isVisible().catch(() => false)); i++) {
    const clicked = await dialog
      .getByRole('button', { name: 'Acknowledge' })
      .click({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (clicked) acknowledged++;
  }
  return acknowledged;
}

/**
 * Waits up to `waitMs` for all `queries` to be answered in the terminal's outbox, acknowledging alerts as they
 * come up; resolves with the outbox as it then stands and the acknowledge clicks made.
 */
export async function drainAcknowledging(page: Page, queries: number, waitMs: number): Promise<{ outbox: StoredOutboxRow[]; clicks: number }> {
  const deadline = performance.now() + waitMs;
  let clicks = 0;
  let outbox = await readStore<StoredOutboxRow>(page, 'outbox');
  while (outbox.filter((row) => row.status === 'answered').length < queries && performance.now() < deadline) {
    clicks += await acknowledgeAlerts(page);
    await new Promise((resolve) => setTimeout(resolve, 250));
    outbox = await readStore<StoredOutboxRow>(page, 'outbox');
  }
  return { outbox, clicks };
}
