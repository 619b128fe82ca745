// What a soak run reads to count: the terminal's IndexedDB as the next start-up will find it, and the trail
// and executions the switch keeps. Read raw, never through the app, so the app cannot vouch for itself.
import type { Page } from '@playwright/test';
import type { AuditRecord } from '../src-shared/audit-chain.ts';
import { authPaths } from '../src-shared/auth.ts';
import type { SwitchProcess } from '../scripts/switch-process.ts';

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

/** Every row of one store of the terminal's IndexedDB, as committed. */
export function readStore<T>(page: Page, store: 'outbox' | 'alerts' | 'intake'): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          // A store the schema does not have yet (a profile killed before its first start finished) holds nothing.
          if (!db.objectStoreNames.contains(name)) return void (db.close(), resolve([]));
          const request = db.transaction(name).objectStore(name).getAll();
          request.onerror = () => (db.close(), reject(request.error));
          request.onsuccess = () => (db.close(), resolve(request.result as T[]));
        };
      }),
    store,
  );
}

/** Outbox rows by status, with the intake's rows (entered, not yet taken into the outbox) as `intake`. */
export async function queueCounts(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await readStore<StoredOutboxRow>(page, 'outbox')) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const intake = (await readStore<StoredOutboxRow>(page, 'intake')).length;
  if (intake > 0) counts.intake = intake;
  return counts;
}

/** This terminal's id on the switch, stored at its first start. */
export function terminalIdOf(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const row = open.result.transaction('settings').objectStore('settings').get('terminalId');
          row.onsuccess = () => (open.result.close(), resolve((row.result as { value: string }).value));
        };
      }),
  );
}

/** The lines of one terminal's trail the switch keeps, read as its administrator does. */
export async function keptTrail(drillSwitch: SwitchProcess, terminalId: string): Promise<AuditRecord[]> {
  const response = await drillSwitch.adminFetch(`${authPaths.adminAudit}?terminal=${encodeURIComponent(terminalId)}`);
  if (!response.ok) throw new Error(`The switch refused to show the trail: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { records: AuditRecord[] }).records;
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
