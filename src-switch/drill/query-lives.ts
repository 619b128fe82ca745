// Each query's life for the report's drawing: what the switch saw (received, answered) joined with what the
// terminal's audit trail, as uploaded to the switch, says (entered, alerted, acknowledged). Only times are taken
// from the trail, never its subjects' content or outcomes: the drawing shows no more CJI than the report does.
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import type { QueryAtSwitch } from './query-ledger.ts';

export interface QueryLife {
  key: string;
  /** The officer pressed Enter and the query was queued (terminal's trail); undefined when the trail does not say. */
  enteredMs?: number;
  /** The query first got through to the switch (switch). */
  sentMs: number;
  /** Its whole answer reached the terminal (switch; the terminal's own record when the switch saw no delivery). */
  answeredMs?: number;
  /** A hit alert was raised for it (terminal's trail). */
  alertedMs?: number;
  /** The officer acknowledged that alert (terminal's trail). */
  acknowledgedMs?: number;
  /** Delivered more than the drill's `lateAfterSeconds` after the switch first received it. */
  late: boolean;
  /**
   * Whether the terminal's trail at the switch records this query's answer: only then does a missing alert mean
   * "no alert"; without it, alerted and acknowledged are unknown (the trail has not been uploaded that far).
   */
  trailCovers: boolean;
}

/** What a terminal's trail says about one query, the first time of each. */
interface TrailTimes {
  entered?: number;
  answered?: number;
  alerted?: number;
  acknowledged?: number;
}

/** The renderer's audit actions (src-renderer/db/database.ts) the drawing reads, and the mark each makes. */
const ACTION_MARKS: Readonly<Record<string, keyof TrailTimes>> = {
  'query.enqueued': 'entered',
  'query.answered': 'answered',
  'alert.raised': 'alerted',
  'alert.acknowledged': 'acknowledged',
};

/** A query's alert is audited under `alert-<its idempotency key>` (alertIdFor in src-renderer/alerts/alert-raiser.ts). */
const ALERT_PREFIX = 'alert-';

/** Every query key of one trail with its times: queries by their own key, alerts by their query's. */
function indexTrail(records: readonly AuditRecord[]): Map<string, TrailTimes> {
  const index = new Map<string, TrailTimes>();
  for (const record of records) {
    const mark = ACTION_MARKS[record.action];
    if (!mark) continue;
    const key = mark === 'alerted' || mark === 'acknowledged' ? record.subject.startsWith(ALERT_PREFIX) ? record.subject.slice(ALERT_PREFIX.length) : record.subject : record.subject;
    const times = index.get(key) ?? {};
    const at = Date.parse(record.at);
    if (times[mark] === undefined && Number.isFinite(at)) times[mark] = at;
    index.set(key, times);
  }
  return index;
}

/** Joins the switch's record of each query with its terminal's trail (by terminal id; none where unknown). */
export function queryLives(queries: readonly QueryAtSwitch[], trails: ReadonlyMap<string, readonly AuditRecord[]>): QueryLife[] {
  const indexes = new Map([...trails].map(([terminal, records]) => [terminal, indexTrail(records)]));
  return queries.map((query) => {
    const times = (query.terminal === undefined ? undefined : indexes.get(query.terminal)?.get(query.key)) ?? {};
    const life: QueryLife = { key: query.key, sentMs: query.firstReceivedMs, late: query.late, trailCovers: times.answered !== undefined };
    const answeredMs = query.deliveredMs ?? times.answered;
    if (times.entered !== undefined) life.enteredMs = times.entered;
    if (answeredMs !== undefined) life.answeredMs = answeredMs;
    if (times.alerted !== undefined) life.alertedMs = times.alerted;
    if (times.acknowledged !== undefined) life.acknowledgedMs = times.acknowledged;
    return life;
  });
}
