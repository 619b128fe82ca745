// The switch keeps each terminal's audit trail: a record is kept only if it follows the last one held, by
// seq and by hash, so no record can be left out (CJIS AU-9); a resend of a record already held is skipped.
// A chain starting again from GENESIS (a terminal whose database was reset), or a first upload that does not
// start at seq 1, is kept as a new segment and flagged for the administrator.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditReceipt, AuditRecord, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';

/** Where a trail starts again: the administrator is told, since records may be missing before it. */
export interface TrailRestart {
  terminal: string;
  /** When the switch received it (for a trail read back from disk, the record's own time). */
  at: string;
  /** The seq the new segment starts at, and the last seq held before it (0 for none). */
  seq: number;
  afterSeq: number;
  message: string;
}

interface Trail {
  records: AuditRecord[];
  hashes: Set<string>;
  segments: number;
  restarts: TrailRestart[];
  /** Officers who signed in on this terminal (a session the switch gave, or a sign-in record held). */
  officers: Set<string>;
}

export type KeepResult =
  | { ok: true; receipt: AuditReceipt; restarts: TrailRestart[] }
  | { ok: false; seq: number; message: string; expected: string; expectedSeq: number; receipt: AuditReceipt; restarts: TrailRestart[] };

export interface KeptTrail {
  terminal: string;
  records: AuditRecord[];
  /** Chains kept: more than one when the terminal's trail started again. */
  segments: number;
  restarts: TrailRestart[];
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

  /** Keeps `records` in order, up to the first that does not follow on; those before it stay kept. */
  keep(terminal: string, records: readonly AuditRecord[], at: Date): KeepResult {
    const trail = this.#trail(terminal);
    const lines: string[] = [];
    const restarts: TrailRestart[] = [];
    let refusal: { seq: number; message: string; expected: string; expectedSeq: number } | undefined;
    for (const record of records) {
      if (trail.hashes.has(record.hash)) continue;
      const problem = breakIn(trail, record);
      if (problem) {
        const last = trail.records.at(-1);
        refusal = { seq: record.seq, message: problem, expected: last?.hash ?? GENESIS, expectedSeq: (last?.seq ?? 0) + 1 };
        break;
      }
      const restart = hold(terminal, trail, record, at.toISOString());
      if (restart) restarts.push(restart);
      lines.push(`${JSON.stringify(record)}\n`);
    }
    if (this.dir && lines.length > 0) appendFileSync(join(this.dir, `${terminal}${FILE_SUFFIX}`), lines.join(''));
    // The seq of the last record held: the terminal's own chain is uploaded up to there.
    const receipt = { kept: lines.length, seq: trail.records.at(-1)?.seq ?? 0, last: trail.records.at(-1)?.hash ?? GENESIS };
    return refusal ? { ok: false, ...refusal, receipt, restarts } : { ok: true, receipt, restarts };
  }

  trail(terminal: string): KeptTrail {
    const trail = this.#trails.get(terminal);
    return { terminal, records: trail?.records ?? [], segments: trail?.segments ?? 0, restarts: trail?.restarts ?? [] };
  }

  /** Remembers that `officer` signed in on `terminal`: the tail of their shift may reach the switch under the next officer's session. */
  noteSignIn(terminal: string, officer: string): void {
    this.#trail(terminal).officers.add(officer);
  }

  hadShiftOn(terminal: string, officer: string): boolean {
    return this.#trails.get(terminal)?.officers.has(officer) ?? false;
  }

  /** Every trail restart on this switch, newest first. */
  restarts(): TrailRestart[] {
    return [...this.#trails.values()].flatMap((trail) => trail.restarts).sort((a, b) => b.at.localeCompare(a.at));
  }

  #trail(terminal: string): Trail {
    let trail = this.#trails.get(terminal);
    if (!trail) this.#trails.set(terminal, (trail = { records: [], hashes: new Set(), segments: 0, restarts: [], officers: new Set() }));
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
        const problem = record.success ? breakIn(trail, record.data) : 'it is not an audit record';
        if (problem || !record.success) throw new Error(`The audit trail ${file} is damaged at line ${index + 1}: ${problem}`);
        hold(terminal, trail, record.data, record.data.at);
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

/** What is wrong with keeping `record` next in `trail`, or undefined when it may be kept. */
function breakIn(trail: Trail, record: AuditRecord): string | undefined {
  if (chainHash(record.prev, record) !== record.hash) return `record ${record.seq} does not match its hash: it was changed after it was written`;
  const last = trail.records.at(-1);
  // Nothing held yet, or a chain from GENESIS: a new segment, kept and flagged by hold().
  if (last === undefined || (record.prev === GENESIS && record.seq === 1)) return undefined;
  if (record.seq !== last.seq + 1) return `record ${record.seq} does not follow record ${last.seq}, the last held: send from record ${last.seq + 1}`;
  if (record.prev !== last.hash) return `record ${record.seq} does not chain to record ${last.seq}, the last held: a record before it is missing or was changed`;
  return undefined;
}

/** Keeps `record`; returns the restart it makes, if it starts a segment after records already held or mid-chain. */
function hold(terminal: string, trail: Trail, record: AuditRecord, at: string): TrailRestart | undefined {
  const last = trail.records.at(-1);
  const starts = last === undefined || (record.prev === GENESIS && record.seq === 1);
  trail.records.push(record);
  trail.hashes.add(record.hash);
  if (record.action === 'session.signin' && record.officer) trail.officers.add(record.officer);
  if (!starts) return undefined;
  trail.segments++;
  if (last === undefined && record.seq === 1 && record.prev === GENESIS) return undefined;
  const restart: TrailRestart = {
    terminal,
    at,
    seq: record.seq,
    afterSeq: last?.seq ?? 0,
    message:
      last === undefined
        ? `Trail of terminal ${terminal} begins at record ${record.seq}: records 1-${record.seq - 1} never reached this switch`
        : `Trail restarted on terminal ${terminal} at ${at}: a new chain from record 1 after record ${last.seq} (the terminal's database was reset?)`,
  };
  trail.restarts.push(restart);
  return restart;
}
