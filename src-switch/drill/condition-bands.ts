// The link conditions over a drill as bands: one row per kind of trouble that played, each span labelled.
import type { LinkConditions } from '../../src-shared/conditions.ts';
import type { DrillRestart } from '../../src-shared/drill.ts';
import type { ConditionChangeAt } from './query-ledger.ts';

/** One kind of trouble: its row label, its fill (and the text colour that reads on it), and each value in words. */
interface BandKind {
  id: string;
  label: string;
  fill: string;
  ink: string;
  /** The span's text while the condition is on; undefined while the link is normal in this respect. */
  describe(conditions: LinkConditions): string | undefined;
}

const percent = (value: number) => (value > 0 ? `${value}%` : undefined);

/** Fills chosen to stay apart in grey print too; each text colour reads on its fill at 4.5:1 or better. */
export const BAND_KINDS: readonly BandKind[] = [
  { id: 'outage', label: 'Outage', fill: '#1f1f1f', ink: '#ffffff', describe: (c) => (c.outage ? 'refused' : undefined) },
  { id: 'blackHole', label: 'Black hole', fill: '#4b2a7b', ink: '#ffffff', describe: (c) => (c.blackHole ? 'no answer' : undefined) },
  {
    id: 'latency',
    label: 'Latency',
    fill: '#f2c14e',
    ink: '#111111',
    describe: (c) => (c.latencyMs > 0 || c.jitterMs > 0 ? `${c.latencyMs} ms${c.jitterMs > 0 ? ` +0-${c.jitterMs}` : ''}` : undefined),
  },
  { id: 'loss', label: 'Loss', fill: '#f4a58a', ink: '#111111', describe: (c) => percent(c.lossPercent) },
  { id: 'serverError', label: '503s', fill: '#a4243b', ink: '#ffffff', describe: (c) => percent(c.serverErrorPercent) },
  { id: 'retryAfter', label: '429s', fill: '#9ecae1', ink: '#111111', describe: (c) => (c.retryAfterSeconds > 0 ? `Retry-After ${c.retryAfterSeconds} s` : undefined) },
  { id: 'truncate', label: 'Cut answers', fill: '#9fd49b', ink: '#111111', describe: (c) => percent(c.truncatePercent) },
  { id: 'malformed', label: 'Garbled', fill: '#c7c7c7', ink: '#111111', describe: (c) => percent(c.malformedPercent) },
  { id: 'lostAck', label: 'Lost acks', fill: '#00667a', ink: '#ffffff', describe: (c) => percent(c.lostAckPercent) },
  { id: 'slowSource', label: 'Slow source', fill: '#d9c8e8', ink: '#111111', describe: (c) => (c.slowSource ? `${c.slowSource.source} +${c.slowSource.extraMs} ms` : undefined) },
];

/** The restart row's look: a restart is not a link condition, but the class saw it as one. */
export const RESTART_KIND = { id: 'restart', label: 'Restart', fill: '#5a5a5a', ink: '#ffffff' } as const;

export interface Span {
  fromMs: number;
  toMs: number;
  text: string;
}

export interface BandRow {
  id: string;
  label: string;
  fill: string;
  ink: string;
  spans: Span[];
}

/** Spans of one kind between `fromMs` and `toMs`, a span running on while its text stays the same. */
function spansOf(kind: BandKind, changes: readonly ConditionChangeAt[], toMs: number): Span[] {
  const spans: Span[] = [];
  changes.forEach((change, index) => {
    const text = kind.describe(change.conditions);
    const until = Math.min(changes[index + 1]?.atMs ?? toMs, toMs);
    if (text === undefined || until <= change.atMs) return;
    const last = spans.at(-1);
    if (last && last.text === text && last.toMs === change.atMs) last.toMs = until;
    else spans.push({ fromMs: change.atMs, toMs: until, text });
  });
  return spans;
}

/** A row for each kind of trouble that played (none for a normal link throughout), then one for restarts if any. */
export function bandRows(changes: readonly ConditionChangeAt[], restarts: readonly DrillRestart[], toMs: number): BandRow[] {
  const rows: BandRow[] = BAND_KINDS.map((kind) => ({ id: kind.id, label: kind.label, fill: kind.fill, ink: kind.ink, spans: spansOf(kind, changes, toMs) }));
  const restartSpans = restarts.map((restart) => ({
    fromMs: Date.parse(restart.at),
    toMs: restart.backAt === null ? toMs : Date.parse(restart.backAt),
    text: restart.kind === 'process' ? 'process' : 'listener',
  }));
  rows.push({ ...RESTART_KIND, spans: restartSpans });
  return rows.filter((row) => row.spans.length > 0);
}
