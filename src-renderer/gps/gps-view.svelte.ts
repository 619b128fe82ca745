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

  /** Follows the host's pushes, after asking once for the state now. Call from an effect; returns the unsubscribe. */
  start(): () => void {
    let pushed = false;
    const take = (raw: unknown) => {
      // Whatever crosses the bridge is parsed: a status that does not fit is dropped, never shown.
      const parsed = GpsStatus.safeParse(raw);
      if (parsed.success) this.status = parsed.data;
    };
    const unsubscribe = this.#platform.onGpsStatus((status) => {
      pushed = true;
      take(status);
    });
    // A push that came first is newer than this answer.
    void this.#platform.getGpsStatus().then((now) => {
      if (now.ok && !pushed) take(now.value);
    });
    return unsubscribe;
  }
}
