// The browser build's GPS: navigator.geolocation, used only once the browser already permits it, never asking unbidden.
import { checkFix, type GpsStatus } from '../../src-shared/gps.ts';
import { GpsTracker } from '../../src-shared/gps-tracker.ts';

/** What of the browser the watcher uses, so a test can hand in its own. */
export interface BrowserLocation {
  readonly geolocation?: Geolocation;
  readonly permissions?: Permissions;
}

const off = (detail: string): GpsStatus => ({ state: 'off', source: 'geolocation', detail });
const NOT_PERMITTED = off("location is not permitted for this page: allow it in the browser's site settings");

/** Starts on the first look or listener: a terminal that never shows GPS never touches the location API. */
export class WebGps {
  readonly #tracker = new GpsTracker('geolocation');
  readonly #browser: BrowserLocation;
  readonly #listeners = new Set<(status: GpsStatus) => void>();
  /** Off (with why) until the browser says location is permitted; then the tracker's state. */
  #off: GpsStatus | undefined = NOT_PERMITTED;
  #started = false;
  #watch: number | undefined;

  constructor(browser: BrowserLocation = navigator) {
    this.#browser = browser;
    this.#tracker.subscribe((status) => {
      if (!this.#off) this.#emit(status);
    });
  }

  get status(): GpsStatus {
    this.#start();
    return this.#off ?? this.#tracker.status;
  }

  subscribe(listener: (status: GpsStatus) => void): () => void {
    this.#start();
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const { geolocation, permissions } = this.#browser;
    if (!geolocation || !permissions) {
      this.#off = off('this browser offers no location');
      return;
    }
    // Asking would put a permission prompt over the terminal: only a permission already given is used.
    permissions.query({ name: 'geolocation' }).then(
      (permission) => {
        const follow = () => (permission.state === 'granted' ? this.#watchPosition(geolocation) : this.#stop());
        permission.addEventListener('change', follow);
        follow();
      },
      () => undefined,
    );
  }

  #watchPosition(geolocation: Geolocation): void {
    if (this.#watch !== undefined) return;
    this.#off = undefined;
    this.#emit(this.#tracker.status);
    this.#watch = geolocation.watchPosition(
      (position) => {
        const { latitude, longitude, speed } = position.coords;
        const checked = checkFix({
          lat: latitude,
          lon: longitude,
          // Browsers give null, or NaN when standing still without a heading.
          speedMps: speed === null || Number.isNaN(speed) ? null : speed,
          fixTime: Math.round(position.timestamp),
          receivedAt: Date.now(),
          source: 'geolocation',
        });
        if (checked.ok) this.#tracker.report({ kind: 'fix', fix: checked.fix });
      },
      (error) => (error.code === error.PERMISSION_DENIED ? this.#stop() : this.#tracker.report({ kind: 'no-fix' })),
      { enableHighAccuracy: true, maximumAge: 0 },
    );
  }

  #stop(): void {
    if (this.#watch !== undefined) this.#browser.geolocation?.clearWatch(this.#watch);
    this.#watch = undefined;
    if (this.#off === NOT_PERMITTED) return;
    this.#off = NOT_PERMITTED;
    this.#emit(NOT_PERMITTED);
  }

  #emit(status: GpsStatus): void {
    for (const listener of this.#listeners) listener(status);
  }
}
