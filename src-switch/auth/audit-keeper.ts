// The switch keeps each terminal's audit trail: a record is kept only if it follows the last one held
// (its hash chain intact), a resend of a record already held is skipped, and a chain starting again from
// GENESIS (a terminal whose database was reset) is kept as a new segment.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditReceipt, type AuditRecord, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';

interface Trail {
  records: AuditRecord[];
  hashes: Set<string>;
  segments: number;
}

export type KeepResult = { ok: true; receipt: AuditReceipt } | { ok: false; seq: number; message: string; expected: string };

export class AuditKeeper {
  readonly #trails = new Map<string, Trail>();

  /** With `dir`, every kept record is also appended as a JSON line to `<dir>/<terminal>.jsonl`. */
  constructor(private readonly dir?: string) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  keep(terminal: string, records: readonly AuditRecord[]): KeepResult {
    const trail = this.#trails.get(terminal) ?? { records: [], hashes: new Set<string>(), segments: 0 };
    this.#trails.set(terminal, trail);
    let kept = 0;
    for (const record of records) {
      if (trail.hashes.has(record.hash)) continue;
      const last = trail.records.at(-1)?.hash ?? GENESIS;
      if (chainHash(record.prev, record) !== record.hash) return this.#refuse(record, `record ${record.seq} does not match its hash: it was changed after it was written`, last);
      if (record.prev !== last && record.prev !== GENESIS) return this.#refuse(record, `record ${record.seq} does not follow the last record held (a record is missing or was inserted)`, last);
      if (record.prev === GENESIS) trail.segments++;
      trail.records.push(record);
      trail.hashes.add(record.hash);
      if (this.dir) appendFileSync(join(this.dir, `${terminal}.jsonl`), `${JSON.stringify(record)}\n`);
      kept++;
    }
    // Every record of this upload is now held: the terminal may mark up to its last one as uploaded.
    const seq = records.reduce((max, record) => Math.max(max, record.seq), 0);
    return { ok: true, receipt: { kept, seq, last: trail.records.at(-1)?.hash ?? GENESIS } };
  }

  trail(terminal: string): { terminal: string; records: AuditRecord[]; segments: number } {
    const trail = this.#trails.get(terminal);
    return { terminal, records: trail?.records ?? [], segments: trail?.segments ?? 0 };
  }

  #refuse(record: AuditRecord, message: string, expected: string): KeepResult {
    return { ok: false, seq: record.seq, message, expected };
  }
}
