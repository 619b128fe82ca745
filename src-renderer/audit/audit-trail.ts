// The audit trail as the switch sees it: stored lines mapped to the shared record, and the chain checked.
import { type AuditRecord, CHAIN_RESTART, type ChainCheck, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';
import type { AuditEntry, OutriderDb } from '../db/database.ts';

/** Lines written before the chain existed (schema v4) have no hash: they can be neither checked nor uploaded. */
export const isChained = (line: AuditEntry): boolean => line.hash !== undefined;

/** A line that does not chain, and the restart line after it where a new chain begins (none yet: undefined). */
export interface TrailBreak {
  seq: number;
  reason: string;
  restartedAt?: number;
}

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
    ...(line.where ? { where: line.where } : {}),
    prev: line.prev ?? '',
    hash: line.hash ?? '',
  };
}

/** Whether `line` is a sound restart: it begins from GENESIS and matches its own hash. */
const restarts = (line: AuditRecord): boolean => line.action === CHAIN_RESTART && line.prev === GENESIS && chainHash(GENESIS, line) === line.hash;

/**
 * Reads every line in order and checks each chain from its first line: the chain from the first chained line,
 * and each begun by a restart line. Names every break, with the restart that followed it if one did. The
 * lines from a break to its restart are kept here for IT, and never sent.
 */
export async function checkAuditTrail(db: OutriderDb): Promise<TrailBreak[]> {
  const lines = (await db.audit.orderBy('seq').toArray()).filter(isChained).map(auditRecord);
  const breaks: TrailBreak[] = [];
  let prev = GENESIS;
  let broken: TrailBreak | undefined;
  for (const line of lines) {
    // Only a break is followed by a restart: one anywhere else is itself a break.
    if (broken && restarts(line)) {
      broken.restartedAt = line.seq;
      broken = undefined;
      prev = line.hash;
      continue;
    }
    if (broken) continue;
    if (line.prev !== prev) broken = { seq: line.seq, reason: `record ${line.seq} does not follow the one before it (a record was removed or inserted)` };
    else if (chainHash(line.prev, line) !== line.hash) broken = { seq: line.seq, reason: `record ${line.seq} was changed after it was written` };
    if (broken) breaks.push(broken);
    else prev = line.hash;
  }
  return breaks;
}

/** The first break on this terminal, or the chain's last hash when there is none. */
export async function verifyAuditTrail(db: OutriderDb): Promise<ChainCheck> {
  const [first] = await checkAuditTrail(db);
  if (first) return { ok: false, seq: first.seq, reason: first.reason };
  const last = (await db.audit.orderBy('seq').filter(isChained).last())?.hash;
  return { ok: true, last: last ?? GENESIS };
}

/**
 * When the newest chain is broken, begins a new one with a restart line naming the break, so nothing more is
 * chained to the broken lines; in one transaction, so two windows starting together restart it once.
 * Returns every break, the one just closed included.
 */
export async function restartBrokenChain(db: OutriderDb): Promise<TrailBreak[]> {
  return db.transaction('rw', db.audit, async () => {
    const breaks = await checkAuditTrail(db);
    const open = breaks.at(-1);
    if (!open || open.restartedAt !== undefined) return breaks;
    const last = (await db.audit.orderBy('seq').last())!.seq!;
    const seq = await db.audit.add({
      at: new Date().toISOString(),
      action: CHAIN_RESTART,
      subject: `records ${open.seq}-${last}`,
      outcome: `${open.reason}; records ${open.seq}-${last} are kept on this terminal for IT and not sent`,
    });
    open.restartedAt = seq;
    return breaks;
  });
}
