// The alert policy: one alert per query, raised on the first hit part, raised again only when more severe.
// Every answer part reaches it through `deliver`, which shows, stores and reconciles.
import type { Table } from 'dexie';
import { AnswerStore, type MergedAnswer, type PartDelivery } from '../answers/answer-store.ts';
import type { AlertRecord, AuditEntry, OutboxEntry, OutriderDb } from '../db/database.ts';
import { type AlertDraft, SEVERITY_RANK, summarizeAnswer } from './classify.ts';
import { SentQueries } from './sent-queries.ts';

/** A query's one alert has an id of its query's: shown from memory or stored, it is the same alert. */
export function alertIdFor(queryId: string): string {
  return `alert-${queryId}`;
}

/** What a delivery does to its query's alert: the record to store, its audit line, and whether to announce it. */
interface AlertChange {
  alert: AlertRecord;
  line?: AuditEntry;
  announce: boolean;
}

interface Hit {
  queryId: string;
  askedAt: string;
  answeredAt: string;
  late: boolean;
  draft: AlertDraft;
}

const raisedLine = (alert: AlertRecord, outcome: string, now: Date): AuditEntry => ({ at: now.toISOString(), action: 'alert.raised', subject: alert.id, outcome });

function raise(existing: AlertRecord | undefined, hit: Hit, now: Date): AlertChange {
  const { queryId, askedAt, answeredAt, late, draft } = hit;
  if (!existing) {
    const alert: AlertRecord = { ...draft, id: alertIdFor(queryId), queryId, askedAt, answeredAt, late, acknowledgedAt: 0 };
    return { alert, line: raisedLine(alert, `${alert.severity}: ${alert.title}`, now), announce: true };
  }
  if (draft.rank < existing.rank) {
    // More severe (a caution after the hit, a live hit after a possible one): shown again even if acknowledged.
    // A live answer replacing a possible hit brings its own times.
    const live = existing.severity === 'possible_hit' ? { askedAt, answeredAt, late } : {};
    const raised: AlertRecord = { ...existing, ...draft, ...live, acknowledgedAt: 0 };
    return { alert: raised, line: raisedLine(raised, `raised to ${raised.severity}: ${raised.title}`, now), announce: true };
  }
  // Same severity, more detail (a second source confirms): what is shown is updated, without a second alarm.
  return { alert: { ...existing, ...draft, rank: existing.rank, severity: existing.severity }, announce: false };
}

/** A complete live answer without a hit clears a possible hit from the hotlist, and says so. */
function clearPossibleHit(existing: AlertRecord | undefined, now: Date): AlertChange | undefined {
  if (existing?.severity !== 'possible_hit') return undefined;
  const cleared: AlertRecord = {
    ...existing,
    severity: 'information',
    rank: SEVERITY_RANK.information,
    title: 'CLEARED: NO HIT ON THE LIVE ANSWER',
    detail: `The hotlist flagged this plate while offline; the switch's answer shows no want. ${existing.detail}`,
    sources: ['Live answer from the switch'],
    answeredAt: now.toISOString(),
    acknowledgedAt: 0,
  };
  return { alert: cleared, line: raisedLine(cleared, 'information: possible hit cleared by the live answer', now), announce: true };
}

/** Writes to commit with a batch of deliveries (the stream position, broadcasts); returns alerts to announce. */
export interface Alongside {
  tables: Table[];
  write(): Promise<AlertRecord[]>;
}

export interface AlertRaiserDeps {
  db: OutriderDb;
  /** Puts an alert on screen and sounds it. */
  show(alert: AlertRecord): void;
  /** Takes an alert shown from memory off the screen: storage did not keep it. */
  retract?(id: string): void;
  /** Told of each write that may store an alert already shown: an acknowledgement waits for it. */
  track?<T>(write: Promise<T>): Promise<T>;
  clock?: () => Date;
  lateAfterMinutes?: number;
}

export class AlertRaiser {
  readonly #answers: AnswerStore;
  readonly #sent: SentQueries;
  readonly #clock: () => Date;

  constructor(private readonly deps: AlertRaiserDeps) {
    this.#answers = new AnswerStore(deps.db, deps.lateAfterMinutes);
    this.#sent = new SentQueries(deps.lateAfterMinutes);
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** Queries just claimed for sending: first sends are remembered, so their hit can show before it is stored. */
  async sending(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = entries.map((entry) => entry.id);
    const alerts = await this.deps.db.alerts.where('queryId').anyOf(ids).toArray().catch(() => undefined);
    // Unreadable: these queries' alerts are decided from storage alone.
    if (alerts) this.#sent.sending(entries, alerts);
  }

  /** Nothing is in flight from this window any more: memory no longer speaks for storage. */
  forgetSent(): void {
    this.#sent.clear();
  }

  /**
   * Shows at once what memory can decide, stores every delivery (with `alongside`) in one transaction, then
   * announces what storage raised that was not shown already and takes down what storage did not keep.
   * Returns the alerts announced.
   */
  async deliver(deliveries: PartDelivery | readonly PartDelivery[], alongside?: Alongside): Promise<AlertRecord[]> {
    const list: readonly PartDelivery[] = 'queryId' in deliveries ? [deliveries] : deliveries;
    const now = this.#clock();
    // Before any await: the hit is on screen the moment its part arrives.
    const shown = new Map<string, AlertRecord>();
    for (const delivery of list) {
      const early = this.#fromMemory(delivery, now);
      if (early) {
        shown.set(early.id, early);
        this.deps.show(early);
      }
    }
    const { db } = this.deps;
    const write = db.transaction('rw', [...this.#answers.tables, db.alerts, ...(alongside?.tables ?? [])], async () => {
      // Every delivery's reads go out together, then every write: a batch of answers costs the round trips of one.
      const stored = await Promise.all(list.map((delivery) => this.#store(delivery, now)));
      // Their audit lines in one request, in delivery order, so the chain reads its last line once for the batch.
      const lines = stored.flatMap((each) => each.lines);
      if (lines.length > 0) await db.audit.bulkAdd(lines);
      const raised = stored.flatMap((each) => (each.announce ? [each.announce] : []));
      if (alongside) raised.push(...(await alongside.write()));
      return raised;
    });
    let raised: AlertRecord[];
    try {
      raised = await (this.deps.track ? this.deps.track(write) : write);
    } catch (error) {
      // Not stored: the parts come again, and are decided from storage then.
      list.forEach((delivery) => this.#sent.forget(delivery.queryId));
      throw error;
    }
    const announced = raised.filter((alert) => !(shown.get(alert.id)?.rank === alert.rank));
    announced.forEach((alert) => this.deps.show(alert));
    await this.#retractUnstored([...shown.keys()].filter((id) => !raised.some((alert) => alert.id === id)));
    return [...shown.values(), ...announced];
  }

  /** The alert these parts raise, decided from memory before they are stored; never clears a possible hit early. */
  #fromMemory(delivery: PartDelivery, now: Date): AlertRecord | undefined {
    const sent = this.#sent.take(delivery, now);
    if (!sent) return undefined;
    sent.summary = summarizeAnswer(sent.entry.query, sent.parts);
    if (!sent.summary.alert) return undefined;
    const hit = { queryId: sent.entry.id, askedAt: sent.entry.askedAt, answeredAt: sent.answeredAt!, late: sent.late!, draft: sent.summary.alert };
    const change = raise(sent.alert, hit, now);
    sent.alert = change.alert;
    return change.announce ? change.alert : undefined;
  }

  /**
   * Stores one delivery and its alert; its reads go together, then its writes together. Returns the audit lines
   * to add (the caller adds a batch's lines in one request) and an alert to announce.
   */
  async #store(delivery: PartDelivery, now: Date): Promise<{ lines: AuditEntry[]; announce?: AlertRecord }> {
    const { db } = this.deps;
    const [answer, existing] = await Promise.all([this.#answers.merge(delivery, now), db.alerts.where('queryId').equals(delivery.queryId).first()]);
    const summary = answer && (this.#sent.summaryOf(delivery.queryId, answer.parts) ?? summarizeAnswer(answer.entry.query, answer.parts));
    if (delivery.complete) this.#sent.forget(delivery.queryId);
    if (!answer || !summary) return { lines: [] };
    const change = summary.alert ? raise(existing, hitOf(answer, summary.alert), now) : delivery.complete ? clearPossibleHit(existing, now) : undefined;
    const { writes, line } = this.#answers.write(answer, summary.outcome, now);
    if (change) writes.push(db.alerts.put(change.alert));
    await Promise.all(writes);
    const lines = [line, change?.line].filter((each): each is AuditEntry => each !== undefined);
    return change?.announce ? { lines, announce: change.alert } : { lines };
  }

  /** Alerts shown from memory whose storing raised nothing: taken off the screen if storage does not hold them. */
  async #retractUnstored(ids: readonly string[]): Promise<void> {
    const { retract } = this.deps;
    if (ids.length === 0 || !retract) return;
    const stored = await this.deps.db.alerts.bulkGet([...ids]);
    ids.forEach((id, i) => {
      if (!stored[i]) retract(id);
    });
  }
}

function hitOf(answer: MergedAnswer, draft: AlertDraft): Hit {
  return { queryId: answer.entry.id, askedAt: answer.entry.askedAt, answeredAt: answer.answeredAt, late: answer.late, draft };
}
