// Where a query entered first becomes durable: one `writeIntake(row)`, from the intake's worker where it can,
// through the page where it cannot, committed strict (flushed to disk) either way. The outbox needs nothing
// else of sealing or stamping.
import type { Query } from '../../src-shared/queries.ts';
import { stampIntake } from '../db/audit-chain-middleware.ts';
import { type IntakeRecord, type OutriderDb, sealingOf, strictIntake } from '../db/database.ts';
import { markQueryCommitted } from '../perf-marks.ts';
import { IntakeWorkerUnavailable, type IntakeWriter, workerIntake } from './intake-writer.ts';
import { journalEntries } from './queue-journal.ts';

export interface Intake {
  /** Commits the row with its audit line; resolves once a crash, of the app or of the OS, can no longer lose it. */
  writeIntake(row: IntakeRecord): Promise<void>;
  /** The query being typed, valid so far: sealed ahead so Enter has one seal less to make. Stores nothing. */
  prepare(query: Query): void;
  /** The row id for `query`: the one its value was sealed ahead for, else a new one. */
  idFor(query: Query): string;
}

/** The intake of `db`: written by `worker` where there is one (workers and a sealed database), else by the page. */
export function intakeFor(db: OutriderDb, worker: IntakeWriter | undefined = workerIntake(db)): Intake {
  return {
    async writeIntake(row) {
      if (worker) {
        try {
          markQueryCommitted(row.id, await worker.write(row));
          return;
        } catch (error) {
          if (!(error instanceof IntakeWorkerUnavailable)) throw error;
        }
      }
      // A put, not an add: a row the worker committed just before it died is written the same. Strict, as the
      // worker's is: through the database's strict connection (strictIntake), with the same middlewares. The
      // journal's copy is written beside it, as the worker's is, stamped here so both hold the same line.
      const sealing = sealingOf(db);
      const stamped = sealing ? stampIntake(row, sealing.stamp) : row;
      await Promise.all([(await strictIntake(db)).put(stamped), journalEntries(db, [stamped])]);
      markQueryCommitted(row.id);
    },
    prepare: (query) => worker?.prepare(query),
    idFor: (query) => worker?.preparedId(query) ?? crypto.randomUUID(),
  };
}

