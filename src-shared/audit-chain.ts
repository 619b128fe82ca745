// The audit trail's hash chain, computed the same way by the terminal (when it writes) and the switch
// (when it keeps an upload): each record's hash covers its content and the hash before it, so a record
// changed, removed or inserted breaks every hash after it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { ErrorBody, TerminalId } from './protocol.ts';
import { Where, whereCanonical } from './where.ts';

/** The `prev` of the first record of a chain. */
export const GENESIS = '0'.repeat(64);

/**
 * The action of the line that begins a new chain, from GENESIS, after a terminal found its own chain broken:
 * later lines chain to it, never to the broken ones, and the switch keeps it as a flagged restart.
 */
export const CHAIN_RESTART = 'audit.chain_restarted';

/** UTC to the hundredth of a second, as CJIS audit asks: 2026-11-23T14:05:09.37Z. */
export const AuditTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ$/, { error: 'at must be UTC to hundredths: 2026-11-23T14:05:09.37Z' });

export function auditTime(date: Date): string {
  return `${date.toISOString().slice(0, 22)}Z`;
}

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One audit record: who (officer, '' before sign-in), what (action, subject, outcome), when, on which terminal, and
 * where the car was (`where`: the fix when the line was written, for a query the fix at Enter, or no fix and why).
 * A record without `where` was written by a terminal that did not record positions; it chains as it always did.
 */
export const AuditRecord = z
  .object({
    seq: z.number().int().min(1),
    at: AuditTime,
    officer: z.string().max(12),
    terminal: TerminalId,
    action: z.string().min(1).max(40),
    subject: z.string().max(200),
    outcome: z.string().max(500),
    where: Where.optional(),
    prev: Hash,
    hash: Hash,
  })
  .strict();
export type AuditRecord = z.infer<typeof AuditRecord>;

export type AuditContent = Omit<AuditRecord, 'seq' | 'prev' | 'hash'>;

/**
 * The hash of a record: SHA-256 over its fields in a fixed order, the previous hash first, and its `where` last
 * when it has one (so a position cannot be changed, added or taken away unseen). A record without one hashes
 * exactly as records did before positions were recorded, so lines already kept still check.
 */
export function chainHash(prev: string, record: AuditContent): string {
  const fields: unknown[] = [prev, record.at, record.officer, record.terminal, record.action, record.subject, record.outcome];
  if (record.where !== undefined) fields.push(whereCanonical(record.where));
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(fields))));
}

export type ChainCheck = { ok: true; last: string } | { ok: false; seq: number; reason: string };

/** Checks records in order against the hash they should follow: the first break is named. */
export function verifyChain(records: readonly AuditRecord[], prev: string = GENESIS): ChainCheck {
  let last = prev;
  for (const record of records) {
    if (record.prev !== last) return { ok: false, seq: record.seq, reason: `record ${record.seq} does not follow the one before it (a record was removed or inserted)` };
    if (chainHash(record.prev, record) !== record.hash) return { ok: false, seq: record.seq, reason: `record ${record.seq} was changed after it was written` };
    last = record.hash;
  }
  return { ok: true, last };
}

export const AuditUpload = z.object({ terminal: TerminalId, records: z.array(AuditRecord).min(1).max(500) }).strict();
export type AuditUpload = z.infer<typeof AuditUpload>;

/**
 * The switch's 409 for an upload that does not chain on: its error body (code `chain`), the record refused, the
 * last hash it holds, and the seq to send from.
 */
export const AuditChainRefusal = ErrorBody.extend({ seq: z.number().int().min(1), expected: Hash, expectedSeq: z.number().int().min(1) });
export type AuditChainRefusal = z.infer<typeof AuditChainRefusal>;

/** What the switch kept: the terminal marks everything up to `seq` as uploaded. */
export const AuditReceipt = z.object({ kept: z.number().int().min(0), seq: z.number().int().min(0), last: Hash });
export type AuditReceipt = z.infer<typeof AuditReceipt>;
