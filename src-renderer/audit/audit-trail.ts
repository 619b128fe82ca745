// The audit trail as the switch sees it: stored lines mapped to the shared record, and the chain checked.
import { type AuditRecord, type ChainCheck, verifyChain } from '../../src-shared/audit-chain.ts';
import type { AuditEntry, OutriderDb } from '../db/database.ts';

/** Lines written before the chain existed (schema v4) have no hash: they can be neither checked nor uploaded. */
export const isChained = (line: AuditEntry): boolean => line.hash !== undefined;

/** A stored line as an upload carries it; a field missing from a chained line fails the check, as it should. */
export function auditRecord(line: AuditEntry): AuditRecord {
  return {
    seq: line.seq ?? 0,
    at: line.at,
    officer: line.officer ?? '',
    terminal: line.terminal ?? '',
    action: line.action,
    subject: line.subject,
    outcome: line.outcome,
    prev: line.prev ?? '',
    hash: line.hash ?? '',
  };
}

/** Reads every line in order and checks the chain from the first chained one: the first break is named by its seq. */
export async function verifyAuditTrail(db: OutriderDb): Promise<ChainCheck> {
  const lines = await db.audit.orderBy('seq').toArray();
  const first = lines.findIndex(isChained);
  return verifyChain(first === -1 ? [] : lines.slice(first).map(auditRecord));
}
