// A live query for views that need not follow every write: re-read at most every few hundred milliseconds.
//
// Dexie's liveQuery re-runs its query after every commit that touches what it read. During a drain that is
// several commits per query, each re-reading and re-drawing the results list and the counts, and that work
// competes with the drain itself. The status bar and the list are read by a person: five updates a second is
// plenty. Alerts do not go through this: they stay immediate.
import { Dexie } from 'dexie';

/** How often a throttled view may re-read: fast for an eye, slow for the machine. */
export const VIEW_REFRESH_MS = 200;

type Observer<T> = ((value: T) => void) | { next?: (value: T) => void; error?: (error: unknown) => void };

export interface ThrottledQuery<T> {
  subscribe(observer: Observer<T>): { unsubscribe(): void };
}

export function throttledQuery<T>(querier: () => Promise<T>, intervalMs: number = VIEW_REFRESH_MS): ThrottledQuery<T> {
  return {
    subscribe(observer) {
      const next = typeof observer === 'function' ? observer : (value: T) => observer.next?.(value);
      const fail = typeof observer === 'function' ? () => undefined : (error: unknown) => observer.error?.(error);
      let closed = false;
      let running = false;
      let again = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const schedule = () => {
        if (timer === undefined && !closed) timer = setTimeout(() => void run(), intervalMs);
      };
      const run = async () => {
        timer = undefined;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          const value = await querier();
          if (!closed) next(value);
        } catch (error) {
          if (!closed) fail(error);
        } finally {
          running = false;
          if (again) {
            again = false;
            schedule();
          }
        }
      };
      // Any write in this window or another (Dexie relays other windows' writes) may change the answer.
      const onMutation = () => schedule();
      Dexie.on('storagemutated', onMutation);
      void run();
      return {
        unsubscribe() {
          closed = true;
          clearTimeout(timer);
          Dexie.on.storagemutated.unsubscribe(onMutation);
        },
      };
    },
  };
}
