// What the terminal and the switch hold, read from outside: the terminal's IndexedDB as committed (not through the
// app, so the app cannot vouch for itself) and the trail the switch keeps, read as its administrator does. Shared
// by the end-to-end tests and the soak runs.
import type { Page } from '@playwright/test';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { authPaths } from '../../src-shared/auth.ts';
import type { SwitchProcess } from '../../scripts/switch-process.ts';

/** Every row of one store of the terminal's IndexedDB; none for a store the schema does not have yet. */
export function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          // A profile killed before its first start finished may not have the store yet: it holds nothing.
          if (!db.objectStoreNames.contains(name)) return void (db.close(), resolve([]));
          const request = db.transaction(name).objectStore(name).getAll();
          request.onerror = () => (db.close(), reject(request.error));
          request.onsuccess = () => (db.close(), resolve(request.result as T[]));
        };
      }),
    store,
  );
}

/** This terminal's id on the switch, stored at its first start (a setting, not CJI: never sealed). */
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

/** What the switch keeps of one terminal's trail: its records, and the chain restarts it was told of. */
export async function keptTrail(drillSwitch: SwitchProcess, terminalId: string): Promise<{ records: AuditRecord[]; restarts: unknown[] }> {
  const response = await drillSwitch.adminFetch(`${authPaths.adminAudit}?terminal=${encodeURIComponent(terminalId)}`);
  if (!response.ok) throw new Error(`The switch refused to show the trail: ${response.status} ${await response.text()}`);
  return (await response.json()) as { records: AuditRecord[]; restarts: unknown[] };
}
