// The switch keeps each terminal's audit trail in its store: a record is kept only if it follows the last one
// held, by seq and by hash, so no record can be left out (CJIS AU-9); a resend of a record already held is
// skipped. A chain starting again from GENESIS (a terminal whose database was reset), or a first upload that
// does not start at seq 1, is kept as a new segment and flagged for the administrator.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditReceipt, AuditRecord, CHAIN_RESTART, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';
import { AUDIT_STATE, type SwitchStore } from '../store/store.ts';

/** Where a trail starts again: the administrator is told, since records may be missing before it. */
export interface TrailRestart {
  terminal: string;
  /** When the switch received it (for a trail read back from a file, the record's own time). */
  at: string;
  /** The seq the new segment starts at, and the last seq held before it (0 for none). */
  seq: number;
  afterSeq: number;
  message: string;
}

/** What the store keeps beside a trail's records, changed with them in one transaction. */
interface TrailState {
  last?: { seq: number; hash: string };
  segments: number;
  restarts: TrailRestart[];
  /** Officers who signed in on this terminal (a session the switch gave, or a sign-in record held). */
  officers: string[];
  /** Hashes of the newest records, so a resend after a lost receipt is skipped rather than refused. */
  recent: string[];
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
/** More than one upload holds (500 records), so any resend of the last batch is recognised. */
const RECENT_HASHES = 1_000;
const EMPTY: TrailState = { segments: 0, restarts: [], officers: [], recent: [] };

export class AuditKeeper {
  /**
   * With `dir`, every kept record is also appended as a JSON line to `<dir>/<terminal>.jsonl` (a copy IT can
   * read with any tool), and a trail found there that the store does not hold is read in at start.
   */
  constructor(
    private readonly store: SwitchStore,
    private readonly dir?: string,
  ) {}

  /** Reads in the JSON-lines trails of `dir`; a file that no longer chains stops the start, naming its line. */
  async start(): Promise<void> {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(FILE_SUFFIX)) continue;
      const terminal = name.slice(0, -FILE_SUFFIX.length);
      const records = readTrailFile(join(this.dir, name));
      if ((await this.trail(terminal)).records.length > 0) continue;
      await this.store.keepAudit<TrailState, void>(terminal, (state) => {
        let next = state ?? EMPTY;
        for (const record of records) next = hold(terminal, next, record, record.at).state;
        return { state: next, records, result: undefined };
      });
    }
  }

  /** Keeps `records` in order, up to the first that does not follow on; those before it stay kept. */
  async keep(terminal: string, records: readonly AuditRecord[], at: Date): Promise<KeepResult> {
    const result = await this.store.keepAudit<TrailState, { kept: AuditRecord[]; result: KeepResult }>(terminal, (held) => {
      let state = held ?? EMPTY;
      const kept: AuditRecord[] = [];
      const restarts: TrailRestart[] = [];
      let refusal: { seq: number; message: string; expected: string; expectedSeq: number } | undefined;
      for (const record of records) {
        if (state.recent.includes(record.hash)) continue;
        const problem = breakIn(state, record);
        if (problem) {
          refusal = { seq: record.seq, message: problem, expected: state.last?.hash ?? GENESIS, expectedSeq: (state.last?.seq ?? 0) + 1 };
          break;
        }
        const held = hold(terminal, state, record, at.toISOString());
        state = held.state;
        if (held.restart) restarts.push(held.restart);
        kept.push(record);
      }
      // The seq of the last record held: the terminal's own chain is uploaded up to there.
      const receipt = { kept: kept.length, seq: state.last?.seq ?? 0, last: state.last?.hash ?? GENESIS };
      const result: KeepResult = refusal ? { ok: false, ...refusal, receipt, restarts } : { ok: true, receipt, restarts };
      return { state, records: kept, result: { kept, result } };
    });
    if (this.dir && result.kept.length > 0) {
      mkdirSync(this.dir, { recursive: true });
      appendFileSync(join(this.dir, `${terminal}${FILE_SUFFIX}`), result.kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    }
    return result.result;
  }

  async trail(terminal: string): Promise<KeptTrail> {
    const records = await this.store.auditRecords(terminal);
    const state = await this.#state(terminal);
    return { terminal, records, segments: state.segments, restarts: state.restarts };
  }

  /** Remembers that `officer` signed in on `terminal`: the tail of their shift may reach the switch under the next officer's session. */
  async noteSignIn(terminal: string, officer: string): Promise<void> {
    await this.store.keepAudit<TrailState, void>(terminal, (state) => {
      const current = state ?? EMPTY;
      return { state: current.officers.includes(officer) ? current : { ...current, officers: [...current.officers, officer] }, records: [], result: undefined };
    });
  }

  async hadShiftOn(terminal: string, officer: string): Promise<boolean> {
    return (await this.#state(terminal)).officers.includes(officer);
  }

  /** Every trail restart on this switch, newest first. */
  async restarts(): Promise<TrailRestart[]> {
    const states = await this.store.list<TrailState>(AUDIT_STATE);
    return states.flatMap(([, state]) => state.restarts).sort((a, b) => b.at.localeCompare(a.at));
  }

  async #state(terminal: string): Promise<TrailState> {
    return (await this.store.get<TrailState>(AUDIT_STATE, terminal)) ?? EMPTY;
  }
}

function readTrailFile(file: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  let state = EMPTY;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line === '') return;
      const record = AuditRecord.safeParse(parseJson(line));
      const problem = record.success ? breakIn(state, record.data) : 'it is not an audit record';
      if (problem || !record.success) throw new Error(`The audit trail ${file} is damaged at line ${index + 1}: ${problem}`);
      state = hold('', state, record.data, record.data.at).state;
      records.push(record.data);
    });
  return records;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What is wrong with keeping `record` next in the trail, or undefined when it may be kept. */
function breakIn(state: TrailState, record: AuditRecord): string | undefined {
  if (chainHash(record.prev, record) !== record.hash) return `record ${record.seq} does not match its hash: it was changed after it was written`;
  const last = state.last;
  // Nothing held yet, or a chain from GENESIS: a new segment, kept and flagged by hold(). That is a terminal
  // whose database was reset (from record 1), or one that found its own chain broken and began a new one with
  // a restart line (after the last record held: the broken records stay on the terminal, for IT).
  if (last === undefined || (record.prev === GENESIS && record.seq === 1)) return undefined;
  if (record.prev === GENESIS && record.action === CHAIN_RESTART && record.seq > last.seq) return undefined;
  if (record.seq !== last.seq + 1) return `record ${record.seq} does not follow record ${last.seq}, the last held: send from record ${last.seq + 1}`;
  if (record.prev !== last.hash) return `record ${record.seq} does not chain to record ${last.seq}, the last held: a record before it is missing or was changed`;
  return undefined;
}

/** The state after keeping `record`, and the restart it makes if it starts a segment after records already held or mid-chain. */
function hold(terminal: string, state: TrailState, record: AuditRecord, at: string): { state: TrailState; restart?: TrailRestart } {
  const last = state.last;
  // Called only for a record breakIn lets through: one from GENESIS begins a segment.
  const starts = last === undefined || record.prev === GENESIS;
  const officers = record.action === 'session.signin' && record.officer && !state.officers.includes(record.officer) ? [...state.officers, record.officer] : state.officers;
  const next: TrailState = { ...state, last: { seq: record.seq, hash: record.hash }, officers, recent: [...state.recent, record.hash].slice(-RECENT_HASHES) };
  if (!starts) return { state: next };
  next.segments++;
  if (last === undefined && record.seq === 1 && record.prev === GENESIS) return { state: next };
  const restart: TrailRestart = {
    terminal,
    at,
    seq: record.seq,
    afterSeq: last?.seq ?? 0,
    message:
      last === undefined
        ? `Trail of terminal ${terminal} begins at record ${record.seq}: records 1-${record.seq - 1} never reached this switch`
        : record.seq === 1
          ? `Trail restarted on terminal ${terminal} at ${at}: a new chain from record 1 after record ${last.seq} (the terminal's database was reset?)`
          : `Trail restarted on terminal ${terminal} at ${at}: the terminal found its chain broken and began a new one at record ${record.seq} after record ${last.seq}${record.seq > last.seq + 1 ? `; records ${last.seq + 1}-${record.seq - 1} stay on the terminal, for IT` : ''}`,
  };
  return { state: { ...next, restarts: [...next.restarts, restart] }, restart };
}
