// Keeps the cached hotlist current: loaded from storage at start, then a delta from the switch on a schedule and whenever the link returns.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { HotlistCache } from './hotlist-cache.ts';
import { fetchHotlist } from './hotlist-fetch.ts';
import { type PossibleHitDeps, PossibleHitWatch } from './possible-hit.ts';


export interface HotlistSyncDeps {
  cache: HotlistCache;
  baseUrl: string;
  link: { readonly canSend: boolean; onChange(listener: () => void): () => void };
  fetcher?: typeof fetch;
  clock?: () => Date;
  refreshMs?: number;
}

export class HotlistSync {
  #running: Promise<boolean> | undefined;

  constructor(private readonly deps: HotlistSyncDeps) {}

  /** Loads the stored list, then refreshes now, on the schedule, and each time the link comes back. Returns the stop function. */
  start(onLoaded?: () => void): () => void {
    let stopped = false;
    const timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? FIELD_CONFIG.hotlistRefreshMs);
    const unlisten = this.deps.link.onChange(() => void this.refresh());
    void this.deps.cache.load().then(() => {
      if (stopped) return;
      onLoaded?.();
      void this.refresh();
    });
    return () => {
      stopped = true;
      clearInterval(timer);
      unlisten();
    };
  }

  /** One fetch at a time; true when the list was brought up to date. A failure leaves the held list as it was. */
  refresh(): Promise<boolean> {
    if (!this.deps.link.canSend || !this.deps.cache.loaded) return Promise.resolve(false);
    this.#running ??= this.#refresh().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #refresh(): Promise<boolean> {
    const { cache, baseUrl, fetcher, clock = () => new Date() } = this.deps;
    try {
      let answer = await fetchHotlist(baseUrl, cache.version, fetcher);
      // A delta from some other version (it cannot happen with the reference switch): start again from the whole list.
      if (answer.kind === 'delta' && answer.delta.fromVersion !== cache.version) answer = await fetchHotlist(baseUrl, undefined, fetcher);
      if (answer.kind === 'snapshot') await cache.replace(answer.snapshot, clock());
      else if (answer.delta.version === cache.version) await cache.touch(clock());
      else await cache.applyDelta(answer.delta, clock());
      return true;
    } catch {
      // Offline, a cut answer, or a delta that does not fit: the next refresh asks again (a snapshot if need be).
      return false;
    }
  }
}

/** The leader's offline hotlist: loaded from storage, kept current, and checked against plates queued while the link is down. */
export function startOfflineHotlist(deps: Omit<HotlistSyncDeps, 'cache'> & Omit<PossibleHitDeps, 'cache'>): () => void {
  const cache = new HotlistCache(deps.db);
  const watch = new PossibleHitWatch({ ...deps, cache });
  let stopWatch = () => {};
  // The watch starts once the stored list is in memory, so a plate queued at start-up is not passed over unchecked.
  const stopSync = new HotlistSync({ ...deps, cache }).start(() => (stopWatch = watch.start()));
  return () => {
    stopSync();
    stopWatch();
  };
}
