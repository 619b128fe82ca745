// The switch keeps each terminal's audit trail: a record is kept only if it follows the last one held
// (its hash chain intact), a resend of a record already held is skipped, and a chain starting again from
// GENESIS (a terminal whose database was reset) is kept as a new segment.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditReceipt, AuditRecord, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';

interface Trail {
  records: AuditRecord[];
  hashes: Set<string>;
  segments: number;
}

export type KeepResult = { ok: true; receipt: AuditReceipt } | { ok: false; seq: number; message: string; expected: string };

export interface KeptTrail {
  terminal: string;
  records: AuditRecord[];
  /** Chains from GENESIS: more than one when the terminal's database was reset. */
  segments: number;
}

const FILE_SUFFIX = '.jsonl';

export class AuditKeeper {
  readonly #trails = new Map<string, Trail>();

  /**
   * With `dir`, every kept record is also appended as a JSON line to `<dir>/<terminal>.jsonl`, and the trails
   * already there are read back at start-up, so a restarted switch goes on accepting each terminal's chain.
   */
  constructor(private readonly dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (name.endsWith(FILE_SUFFIX)) this.#load(name.slice(0, -FILE_SUFFIX.length), join(dir, name));
  }

  /** Keeps `records` in order, up to the first that breaks the chain; those before it stay kept. */
  keep(terminal: string, records: readonly AuditRecord[]): KeepResult {
    const trail = this.#trail(terminal);
    const lines: string[] = [];
    let refusal: KeepResult | undefined;
    for (const record of records) {
      if (trail.hashes.has(record.hash)) continue;
      const last = lastHash(trail);
      const problem = breakIn(record, last);
      if (problem) {
        refusal = { ok: false, seq: record.seq, message: problem, expected: last };
        break;
      }
      hold(trail, record);
      lines.push(`${JSON.stringify(record)}\n`);
    }
    if (this.dir && lines.length > 0) appendFileSync(join(this.dir, `${terminal}${FILE_SUFFIX}`), lines.join(''));
    // The seq of the last record held: the terminal's own chain is uploaded up to there.
    return refusal ?? { ok: true, receipt: { kept: lines.length, seq: trail.records.at(-1)?.seq ?? 0, last: lastHash(trail) } };
  }

  trail(terminal: string): KeptTrail {
    const trail = this.#trails.get(terminal);
    return { terminal, records: trail?.records ?? [], segments: trail?.segments ?? 0 };
  }

  #trail(terminal: string): Trail {
    let trail = this.#trails.get(terminal);
    if (!trail) this.#trails.set(terminal, (trail = { records: [], hashes: new Set(), segments: 0 }));
    return trail;
  }

  /** A file that no longer chains was changed where it lies: the switch refuses to start rather than build on it. */
  #load(terminal: string, file: string): void {
    const trail = this.#trail(terminal);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line === '') return;
        const record = AuditRecord.safeParse(parseJson(line));
        const problem = record.success ? breakIn(record.data, lastHash(trail)) : 'it is not an audit record';
        if (problem || !record.success) throw new Error(`The audit trail ${file} is damaged at line ${index + 1}: ${problem}`);
        hold(trail, record.data);
      });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const lastHash = (trail: Trail) => trail.records.at(-1)?.hash ?? GENESIS;

/** What is wrong with keeping `record` after the hash `last`, or undefined when it follows on. */
function breakIn(record: AuditRecord, last: string): string | undefined {
  if (chainHash(record.prev, record) !== record.hash) return `record ${record.seq} does not match its hash: it was changed after it was written`;
  // GENESIS after other records: the terminal's database was reset and its chain starts again.
  if (record.prev !== last && record.prev !== GENESIS) return `record ${record.seq} does not follow the last record held: a record before it is missing or was changed`;
  return undefined;
}

function hold(trail: Trail, record: AuditRecord): void {
  if (record.prev === GENESIS) trail.segments++;
  trail.records.push(record);
  trail.hashes.add(record.hash);
}
