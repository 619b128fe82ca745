// What the audit specs share: this terminal's id on the switch, and the trail the switch keeps for it.
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { keptTrail, terminalIdOf } from '../support/terminal-records.ts';
import type { DrillSwitch } from './fixtures.ts';

/** This terminal's id on the switch, as the terminal stored it at first start. */
export const terminalId = terminalIdOf;

/** The records the switch keeps of one terminal's trail, read on its admin port as its administrator does. */
export async function keptRecords(drillSwitch: DrillSwitch, terminal: string): Promise<AuditRecord[]> {
  return (await keptTrail(drillSwitch.process, terminal)).records;
}
