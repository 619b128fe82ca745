// Replays a drive's route as NMEA sentences at the route's pace (scaled by its speed), and plays each coverage
// polygon's link conditions while the car is inside it, restoring what they replaced when it leaves.
import { LinkConditions } from '../../src-shared/conditions.ts';
import { type Coverage, coverageAt, type Drive, type DriveCrossing, type DriveView, type LatLon, type RouteFix } from '../../src-shared/drive.ts';
import { ggaSentence, rmcSentence } from '../../src-shared/nmea-write.ts';
import type { DrillClock, DrillTarget } from './drill-player.ts';
import type { TrackPoint } from './report-drawing.ts';

/** A receiver reports once a second; a parked car at the end of the route goes on reporting at that pace. */
const PARKED_REPORT_MS = 1000;
/** More fixes overdue than this (a process restart resumed mid-route) are skipped to the latest, not sent in a burst. */
const MAX_CATCH_UP = 5;
/** The car's track kept for the report drawing; past it, every other point is dropped. */
const MAX_TRACK = 4000;
/** The route as the instructor page draws it. */
const MAX_VIEW_POINTS = 400;

/** Which polygon the car is in, and the values its conditions replaced: carried across a process restart. */
export interface DriveInside {
  area: number | null;
  before: Partial<LinkConditions>;
}

export interface DriveHooks {
  /** Hands one sentence (no line end) to the network. */
  send(sentence: string): void;
  /** The drill's cycle: a new cycle starts the route again. */
  cycle(): { cycleStartMs: number; cycle: number };
  /** Whether the drill still plays: once it ends, the drive touches the link no more. */
  running(): boolean;
  crossed(crossing: DriveCrossing, area: Coverage): void;
}

export class DrivePlayer {
  readonly #fixes: readonly RouteFix[];
  readonly #firstMs: number;
  #next = 0;
  #cycle = 0;
  #inside: DriveInside;
  #cancel: (() => void) | undefined;
  #car: DriveView['car'] = null;
  #sentences = 0;
  #lastSentMs = -Infinity;
  #stopped = false;
  #applying: Promise<void> = Promise.resolve();
  readonly track: TrackPoint[] = [];

  constructor(
    readonly drive: Drive,
    fixes: readonly RouteFix[],
    private readonly target: DrillTarget,
    private readonly clock: DrillClock,
    private readonly hooks: DriveHooks,
    inside: DriveInside = { area: null, before: {} },
  ) {
    this.#fixes = fixes;
    this.#firstMs = fixes[0]!.atMs;
    this.#inside = inside;
  }

  start(): void {
    this.#cycle = this.hooks.cycle().cycle;
    this.#tick();
  }

  /** Stops sending; the link is the drill's to put back. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    return this.#applying;
  }

  inside(): DriveInside {
    return { area: this.#inside.area, before: { ...this.#inside.before } };
  }

  view(): DriveView {
    const every = Math.max(1, Math.ceil(this.#fixes.length / MAX_VIEW_POINTS));
    const path = this.#fixes.filter((_, index) => index % every === 0 || index === this.#fixes.length - 1).map((fix): LatLon => [fix.lat, fix.lon]);
    return {
      state: this.#stopped ? 'stopped' : 'running',
      route: this.drive.route,
      nmeaUdp: this.drive.nmeaUdp,
      speed: this.drive.speed,
      path,
      coverage: this.drive.coverage.map(({ name, kind, ring }) => ({ name, kind, ring })),
      car: this.#car,
      inside: this.#inside.area === null ? null : this.drive.coverage[this.#inside.area]!.name,
      sentences: this.#sentences,
    };
  }

  /** When fix `index` falls due, epoch ms, in a cycle that started at `cycleStartMs`. */
  #dueMs(index: number, cycleStartMs: number): number {
    return cycleStartMs + (this.#fixes[index]!.atMs - this.#firstMs) / this.drive.speed;
  }

  #tick(): void {
    if (this.#stopped || !this.hooks.running()) return;
    const { cycleStartMs, cycle } = this.hooks.cycle();
    if (cycle !== this.#cycle) {
      // A looping drill starts each cycle from a normal link, and the car from the start of the route.
      this.#cycle = cycle;
      this.#next = 0;
      this.#inside = { area: null, before: {} };
    }
    const now = this.clock.now();
    let due = this.#next;
    while (due < this.#fixes.length && this.#dueMs(due, cycleStartMs) <= now) due++;
    if (due > this.#next) {
      const from = due - this.#next > MAX_CATCH_UP ? due - 1 : this.#next;
      for (let index = from; index < due; index++) this.#sendFix(this.#fixes[index]!, now, cycleStartMs);
      this.#next = due;
    } else if (this.#next >= this.#fixes.length && now - this.#lastSentMs >= PARKED_REPORT_MS) {
      this.#sendFix({ ...this.#fixes.at(-1)!, speedKnots: 0 }, now, cycleStartMs);
    }
    const wait = this.#next < this.#fixes.length ? this.#dueMs(this.#next, cycleStartMs) - now : this.#lastSentMs + PARKED_REPORT_MS - now;
    this.#cancel = this.clock.setTimer(() => this.#tick(), Math.max(0, wait));
  }

  /** Sent with this machine's time, as a live receiver would: the terminal takes a replayed old time for a stale fix. */
  #sendFix(fix: RouteFix, now: number, cycleStartMs: number): void {
    const sent = { lat: fix.lat, lon: fix.lon, speedKnots: fix.speedKnots, atMs: now };
    this.hooks.send(rmcSentence(sent));
    this.hooks.send(ggaSentence(sent));
    this.#sentences += 2;
    this.#lastSentMs = now;
    this.#car = { lat: fix.lat, lon: fix.lon, speedKnots: fix.speedKnots, sentAt: new Date(now).toISOString() };
    this.#keepTrack({ atMs: now, lat: fix.lat, lon: fix.lon });
    const area = coverageAt([fix.lat, fix.lon], this.drive.coverage);
    if (area !== this.#inside.area) this.#cross(area, now, cycleStartMs);
  }

  #keepTrack(point: TrackPoint): void {
    this.track.push(point);
    if (this.track.length > MAX_TRACK) {
      const kept = this.track.filter((_, index) => index % 2 === 0);
      this.track.splice(0, this.track.length, ...kept);
    }
  }

  /** Leaves the polygon the car was in (its conditions undone), then enters the one it is in now, if any. */
  #cross(area: number | null, now: number, cycleStartMs: number): void {
    const crossing = (event: DriveCrossing['event'], index: number) => {
      const polygon = this.drive.coverage[index]!;
      const atSeconds = Math.max(0, (now - cycleStartMs) / 1000);
      this.hooks.crossed({ event, area: polygon.name, kind: polygon.kind, cycle: this.#cycle, atSeconds, at: new Date(now).toISOString() }, polygon);
    };
    const left = this.#inside.area;
    if (left !== null) {
      const restore = this.#inside.before;
      this.#apply(() => this.target.set(LinkConditions.parse({ ...this.target.current, ...restore })));
      crossing('left', left);
    }
    const inside: DriveInside = { area, before: {} };
    this.#inside = inside;
    if (area !== null) {
      const change = this.drive.coverage[area]!.conditions;
      this.#apply(() => {
        // What the polygon replaces, read as it is applied (after any leaving above), to put back when the car leaves.
        const current = this.target.current as Record<string, unknown>;
        inside.before = Object.fromEntries(Object.keys(change).map((name) => [name, current[name]])) as Partial<LinkConditions>;
        return this.target.set(LinkConditions.parse({ ...this.target.current, ...change }));
      });
      crossing('entered', area);
    }
  }

  #apply(change: () => Promise<void>): void {
    this.#applying = this.#applying.then(() => (this.hooks.running() ? change() : undefined)).catch(() => {});
  }
}
