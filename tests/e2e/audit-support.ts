// What the audit specs share: this terminal's id on the switch, and the trail the switch keeps for it.
import type { Page } from '@playwright/test';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { authPaths } from '../../src-shared/auth.ts';
import type { DrillSwitch } from './fixtures.ts';

/** This terminal's id on the switch, as the terminal stored it at first start (a setting, not CJI: never sealed). */
export function terminalId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.open('outrider');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const row = request.result.transaction('settings').objectStore('settings').get('terminalId');
          row.onsuccess = () => {
            request.result.close();
            resolve((row.result as { value: string }).value);
          };
        };
      }),
  );
}

/** The records the switch keeps of one terminal's trail, read on its admin port as its administrator does. */
export async function keptRecords(drillSwitch: DrillSwitch, terminal: string): Promise<AuditRecord[]> {
  const response = await drillSwitch.process.adminFetch(`${authPaths.adminAudit}?terminal=${terminal}`);
  return ((await response.json()) as { records: AuditRecord[] }).records;
}
