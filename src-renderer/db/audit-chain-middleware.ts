// A Dexie middleware that makes the audit table an append-only hash chain: each line added is stamped with
// who and where, its time cut to hundredths, and linked to the line before it (src-shared/audit-chain.ts).
//
// Registered above the sealing middleware, so it hashes plain values and reads the last hash opened. It
// reads and writes in the caller's transaction, and hashes synchronously: awaiting anything but IndexedDB
// inside a transaction would let it commit before the line is written.
import type { DBCore, DBCoreAddRequest, DBCoreKeyRange, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreRangeType, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { AuditRecord, auditTime, CHAIN_RESTART, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';
import type { Where } from '../../src-shared/where.ts';
import type { AuditEntry, IntakeRecord } from './database.ts';

/**
 * Who holds the shift (officer id, '' before sign-in), which terminal this is (its id on the switch) and where the
 * car is now (the fix, or no fix and why; undefined where nothing follows the GPS, as in tests: no `where` then).
 */
export type AuditStamp = () => { officer: string; terminal: string; where?: Where };

/** Where a line is stamped when the terminal's id is not known: still a valid TerminalId (8-64 letters, digits, hyphens). */
export const UNKNOWN_TERMINAL = 'unknown-terminal';

/** Above the sealing middleware (level 10): Dexie puts the highest level outermost. */
const LEVEL = 20;

// DBCoreRangeType.Any, a const enum that isolated modules cannot read.
const EVERY_KEY: DBCoreKeyRange = { type: 3 as DBCoreRangeType, lower: undefined, upper: undefined };

/** A subject, outcome or officer longer than the switch accepts would stop every upload after it: it is cut to fit. */
const fit = (field: 'officer' | 'subject' | 'outcome', text: string) => text.slice(0, AuditRecord.shape[field].maxLength ?? undefined);

async function lastLine(table: DBCoreTable, trans: DBCoreTransaction): Promise<{ hash: string; seq: number }> {
  const { result } = await table.query({ trans, values: true, limit: 1, direction: 'prev', query: { index: table.schema.primaryKey, range: EVERY_KEY } });
  const last = result[0] as AuditEntry | undefined;
  // Lines written before the chain existed (schema v4) carry no hash: the chain starts after them.
  return { hash: last?.hash ?? GENESIS, seq: last?.seq ?? 0 };
}

function chained(table: DBCoreTable, stamp: AuditStamp) {
  return async (req: DBCoreAddRequest): Promise<DBCoreMutateResponse> => {
    const last = await lastLine(table, req.trans);
    let prev = last.hash;
    let seq = last.seq;
    const who = stamp();
    const values = req.values.map((value: AuditEntry) => {
      // A query's line brings the fix at Enter; any other is where the car is as it is written.
      const where = value.where ?? who.where;
      const line = {
        ...value,
        // Numbered here, not by IndexedDB: the sealing below binds each value to its row's key.
        seq: ++seq,
        at: auditTime(new Date(value.at)),
        // A failed sign-in names the officer who tried, though nobody holds the shift.
        officer: fit('officer', value.officer ?? who.officer),
        terminal: who.terminal || UNKNOWN_TERMINAL,
        subject: fit('subject', value.subject),
        outcome: fit('outcome', value.outcome),
        ...(where ? { where } : {}),
      };
      // A restart line (audit/audit-trail.ts) begins a new chain after a break: nothing chains to broken lines.
      if (line.action === CHAIN_RESTART) prev = GENESIS;
      const hash = chainHash(prev, line);
      const linked = { ...line, prev, hash };
      prev = hash;
      return linked;
    });
    return table.mutate({ ...req, values });
  };
}

function auditTable(table: DBCoreTable, stamp: AuditStamp): DBCoreTable {
  const add = chained(table, stamp);
  // Adds in one transaction run one after another, so two issued together cannot both follow the same line.
  const tails = new WeakMap<DBCoreTransaction, Promise<DBCoreMutateResponse>>();
  return {
    ...table,
    mutate(req: DBCoreMutateRequest) {
      if (req.type !== 'add') return Promise.reject(new Error(`The audit trail is append-only: ${req.type} refused`));
      const tail = tails.get(req.trans);
      const run = tail ? tail.then(() => add(req), () => add(req)) : add(req);
      tails.set(req.trans, run);
      return run;
    },
  };
}

/**
 * A query's first line is written with the query into the intake (database.ts) and chained only when the
 * outbox takes the query in: it is stamped with the officer now, who entered it, not whoever holds the shift
 * when it is chained (after a crash, the next start). The query and its line are stamped with where the car is
 * now too, at Enter, the same on both. The intake's worker stamps its rows with this too.
 */
export function stampIntake(row: IntakeRecord, stamp: AuditStamp): IntakeRecord {
  const who = stamp();
  const where = row.where ?? row.enqueued.where ?? who.where;
  const placed = where ? { where } : {};
  return { ...row, ...placed, enqueued: { ...row.enqueued, officer: row.enqueued.officer ?? who.officer, ...placed } };
}

function intakeTable(table: DBCoreTable, stamp: AuditStamp): DBCoreTable {
  return {
    ...table,
    mutate(req: DBCoreMutateRequest) {
      if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
      return table.mutate({ ...req, values: req.values.map((row: IntakeRecord) => stampIntake(row, stamp)) } as DBCoreMutateRequest);
    },
  };
}

export function auditChainMiddleware(stamp: AuditStamp): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'outrider-audit-chain',
    level: LEVEL,
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name === 'audit') return auditTable(table, stamp);
        return name === 'intake' ? intakeTable(table, stamp) : table;
      },
    }),
  };
}
