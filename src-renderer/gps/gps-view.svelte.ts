// The car's GPS state as the page knows it, from the platform bridge, each status checked against the shared schema.
import { GpsStatus, mpsToMph } from '../../src-shared/gps.ts';
import type { Platform } from '../platform/platform.ts';

export class GpsView {
  status = $state<GpsStatus>();
  readonly #platform: Platform;

  constructor(platform: Platform) {
    this.#platform = platform;
  }

  /**
   * The car's speed in mph from a current fix; undefined when stale, lost or unknown, so whatever acts on motion
   * (the profile's motionLockMph) decides for itself what an unknown speed means.
   */
  get speedMph(): number | undefined {
    const status = this.status;
    if (status?.state !== 'fix' || status.lastFix?.speedMps == null) return undefined;
    return mpsToMph(status.lastFix.speedMps);
  }

  /**
   * Follows the host's pushes, after asking once for the state now. Call from an effect; returns the unsubscribe.
   * A host that cannot give a position (an older bridge, a failing one) leaves the status unknown: the terminal
   * starts all the same, and records "no fix: unavailable". A lost GPS never keeps an officer out.
   */
  start(): () => void {
    let pushed = false;
    const take = (raw: unknown) => {
      // Whatever crosses the bridge is parsed: a status that does not fit is dropped, never shown.
      const parsed = GpsStatus.safeParse(raw);
      if (parsed.success) this.status = parsed.data;
    };
    try {
      const unsubscribe = this.#platform.onGpsStatus((status) => {
        pushed = true;
        take(status);
      });
      // A push that came first is newer than this answer.
      void this.#platform
        .getGpsStatus()
        .then((now) => {
          if (now.ok && !pushed) take(now.value);
        })
        .catch((error: unknown) => console.warn(`GPS: the host could not say where the car is (${(error as Error).message})`));
      return unsubscribe;
    } catch (error) {
      console.warn(`GPS: the host gives no position (${(error as Error).message}); queries are recorded with no fix`);
      return () => undefined;
    }
  }
}
