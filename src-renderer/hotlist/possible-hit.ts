// While the link is down, a plate just queued is checked against the cached hotlist: a match is a *possible* hit until the live answer comes.
import { throttledQuery } from '../db/throttled-query.ts';
import { hotlistKey } from '../../src-shared/hotlist.ts';
import { describeQuery } from '../../src-shared/queries.ts';
import { SEVERITY_RANK } from '../alerts/classify.ts';
import type { AlertRecord, OutboxEntry, OutriderDb } from '../db/database.ts';
import { clockTime } from '../ui/time-format.ts';
import type { HotlistCache } from './hotlist-cache.ts';
import { alertIdFor } from '../alerts/alert-raiser.ts';

export interface PossibleHitDeps {
  db: OutriderDb;
  cache: HotlistCache;
  /** The link; `onChange` lets a drop of the link check what was queued while it could still send. */
  link: { readonly canSend: boolean; onChange?(listener: () => void): () => void };
  onAlert(alert: AlertRecord): void;
  clock?: () => Date;
}

export class PossibleHitWatch {
  /**
   * Queued entries already looked at with the link down: each is checked once. An entry queued while the link
   * could send is not marked: should the link drop before its answer comes, it is looked at then.
   */
  readonly #seen = new Set<string>();

  constructor(private readonly deps: PossibleHitDeps) {}

  /** Watches the queue (this window's entries and other windows'); returns the stop function. */
  start(): () => void {
    const { db, link } = this.deps;
    // The new entries are read inside the views' shared refresh, so looking at them costs no transaction of its own.
    const queued = throttledQuery(db, ['outbox'], () => this.#unseenListed()).subscribe((listed) => void this.#raiseAll(listed));
    // The link dropping changes nothing in the queue: what was queued just before it (the canyon's edge) is
    // looked at now, not at the next query.
    const unlisten = link.onChange?.(() => {
      if (!link.canSend) void this.#unseenListed().then((listed) => this.#raiseAll(listed), () => undefined);
    });
    return () => {
      queued.unsubscribe();
      unlisten?.();
    };
  }

  /** The queued entries not looked at yet whose plate is listed; none while the link can send. */
  async #unseenListed(): Promise<string[]> {
    // Online, the live answer is moments away: the hotlist would only be a second, older opinion.
    if (this.deps.link.canSend) return [];
    const { db } = this.deps;
    const fresh = (await db.outbox.where('status').equals('queued').primaryKeys()).filter((id) => !this.#seen.has(id));
    if (fresh.length === 0) return [];
    const listed = this.#listed(await db.outbox.bulkGet(fresh));
    // Marked once read: a read that failed leaves them for the next refresh.
    fresh.forEach((id) => this.#seen.add(id));
    return listed;
  }

  /**
   * Raises a possible hit for each of these entries whose plate is on the list; returns the alerts raised.
   * The entries are read together and looked up in memory: only a match opens a read-write transaction,
   * so a plate that is not on the list (nearly all of them) never holds up the next query being queued.
   */
  async check(ids: readonly string[]): Promise<AlertRecord[]> {
    const { raised, failure } = await this.#raiseAll(this.#listed(await this.deps.db.outbox.bulkGet([...ids])));
    if (failure) throw failure.error;
    return raised;
  }

  /** The ids of queued plate queries whose plate is on the hotlist. */
  #listed(entries: ReadonlyArray<OutboxEntry | undefined>): string[] {
    const { cache } = this.deps;
    return entries
      .filter((entry) => entry?.status === 'queued' && entry.query.kind === 'plate' && cache.has(hotlistKey(entry.query.lis, entry.query.lic)))
      .map((entry) => entry!.id);
  }

  async #raiseAll(ids: readonly string[]): Promise<{ raised: AlertRecord[]; failure: { error: unknown } | undefined }> {
    const raised: AlertRecord[] = [];
    let failure: { error: unknown } | undefined;
    for (const id of ids) {
      let alert: AlertRecord | undefined;
      try {
        alert = await this.#checkOne(id);
      } catch (error) {
        // Storage refused this one: the next refresh looks at it again (one alert per query either way), and
        // the rest are still raised.
        this.#seen.delete(id);
        failure ??= { error };
        continue;
      }
      if (alert) {
        raised.push(alert);
        this.deps.onAlert(alert);
      }
    }
    return { raised, failure };
  }

  async #checkOne(id: string): Promise<AlertRecord | undefined> {
    const { db, cache } = this.deps;
    const now = (this.deps.clock ?? (() => new Date()))();
    return db.transaction('rw', db.outbox, db.alerts, db.audit, async () => {
      const entry = await db.outbox.get(id);
      if (entry?.status !== 'queued' || entry.query.kind !== 'plate') return undefined;
      if (!cache.has(hotlistKey(entry.query.lis, entry.query.lic))) return undefined;
      // One alert per query: a live answer already in (another window) wins.
      if (await db.alerts.where('queryId').equals(id).count()) return undefined;
      const listTime = cache.fetchedAt ? clockTime(cache.fetchedAt) : 'unknown time';
      const alert: AlertRecord = {
        severity: 'possible_hit',
        rank: SEVERITY_RANK.possible_hit,
        title: `POSSIBLE HIT: hotlist of ${listTime}, confirm when connected`,
        subject: describeQuery(entry.query),
        // Read again, after "CLEARED" (alert-raiser.ts), when the live answer has no hit: it must make sense then too.
        detail: `On the stolen-plate hotlist this terminal fetched at ${listTime}, checked while the link was down.`,
        cautions: [],
        sources: ['Hotlist'],
        // The query's one alert: the live answer raises this same alert, under this id.
        id: alertIdFor(id),
        queryId: id,
        askedAt: entry.askedAt,
        answeredAt: now.toISOString(),
        late: false,
        acknowledgedAt: 0,
      };
      await db.alerts.add(alert);
      await db.audit.add({ at: now.toISOString(), action: 'alert.raised', subject: alert.id, outcome: `possible_hit: hotlist of ${listTime}` });
      return alert;
    });
  }
}
