// The drill the switch is playing: started from the CLI or the instructor page, carried across a process restart,
// reported on when it ends.
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import type { Drill, DrillReport, DrillRestart, DrillStatus } from '../../src-shared/drill.ts';
import { type Coverage, type Drive, type DriveCrossing, type DriveView, parseHostPort, type RouteFix } from '../../src-shared/drive.ts';
import { type DrillClock, DrillPlayer, type DrillTarget, type StepEvent, systemClock } from './drill-player.ts';
import type { DrillKeeper } from './drill-keeper.ts';
import { type DriveInside, DrivePlayer } from './drive-player.ts';
import { loadRoute, routeFile } from './drive-route.ts';
import type { QueryLedger } from './query-ledger.ts';
import { queryLives } from './query-lives.ts';
import { chooseLanes, drawReport } from './report-drawing.ts';
import { shippedDrills } from './shipped-drills.ts';

export type StartResult = { ok: true; value: DrillStatus } | { ok: false; code: 'unknown_drill' | 'drive_unplayable'; error: string };
/** The drill picked up, the restart that interrupted it, and when (seconds into its cycle) the switch is due back. */
export type ResumeResult = { ok: true; value: { drill: Drill; restart: DrillRestart; backAtSeconds: number } } | { ok: false; error: string };

/** Ends this process abruptly and has its supervisor start another, which resumes restart `restartId`. Never resolves. */
export interface ProcessRestart {
  restart(restartId: string): Promise<never>;
}

export interface DrillSessionOptions {
  clock?: DrillClock;
  shipped?: ReadonlyMap<string, Drill>;
  /** Given only where a restart step may kill the process: a durable store keeps the drill, a supervisor starts the next. */
  processRestart?: { restart: ProcessRestart; keeper: DrillKeeper; reason: string };
  /** Why a restart step restarts the listener only, where `processRestart` is absent. */
  listenerReason?: string;
  /** The process answering, for the status: its pid and when it started. */
  process?: DrillStatus['process'];
  /** A terminal's audit trail as uploaded to the switch: where the drawing finds when queries were entered, alerted, acknowledged. */
  trails?: (terminal: string) => Promise<readonly AuditRecord[]>;
}

/** What the command line may change in every drive: where the sentences go, and how fast the route plays. */
export interface DriveOverrides {
  nmeaUdp?: string;
  speed?: number;
}

/** Called with each drill's final report and its drawing (an SVG document; null with why, if it could not be drawn). */
export type ReportListener = (report: DrillReport, drawing: { ok: true; value: string } | { ok: false; error: string }) => void;

export class DrillSession {
  #player: DrillPlayer | undefined;
  #source: string | null = null;
  /** The last drill's report, frozen when it ended, so later traffic does not change what the class is shown. */
  #final: DrillReport | undefined;
  /** The queries and link changes as they stood when that report was frozen: what its drawing shows. */
  #finalLives: ReturnType<QueryLedger['lives']> | undefined;
  /** Settles once the playing drill's end has been reported (its drawing needs the audit trails, read from the store). */
  #ending: Promise<void> = Promise.resolve();
  #restarts: DrillRestart[] = [];
  /** Settles when a drill resumed after a process restart has its switch back up (or ends): listen waits for it. */
  #backUp: Promise<void> = Promise.resolve();
  #markBackUp: () => void = () => {};
  /** The drive of the drill playing or last played, the socket it sends on, and the crossings so far. */
  #drive: { player: DrivePlayer; socket: Socket; crossings: DriveCrossing[] } | undefined;
  #driveOverrides: DriveOverrides = {};
  readonly #crossingListeners = new Set<(crossing: DriveCrossing, drill: Drill, area: Coverage) => void>();
  readonly #reportListeners = new Set<ReportListener>();
  readonly #stepListeners = new Set<(event: StepEvent, drill: Drill) => void>();
  readonly #clock: DrillClock;
  readonly shipped: ReadonlyMap<string, Drill>;
  readonly #processRestart: DrillSessionOptions['processRestart'];
  readonly #restartMode: DrillStatus['restartMode'];
  readonly #process: DrillStatus['process'];
  readonly #trails: NonNullable<DrillSessionOptions['trails']>;

  constructor(
    private readonly target: DrillTarget,
    private readonly ledger: QueryLedger,
    options: DrillSessionOptions = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.shipped = options.shipped ?? shippedDrills();
    this.#processRestart = options.processRestart;
    this.#restartMode = options.processRestart
      ? { kind: 'process', reason: options.processRestart.reason }
      : { kind: 'listener', reason: options.listenerReason ?? 'not supervised' };
    this.#process = options.process ?? { pid: process.pid, startedAt: new Date(performance.timeOrigin).toISOString() };
    this.#trails = options.trails ?? (async () => []);
    // Every change, by a step or by the instructor's hand, so the drawing shows the link the class really had.
    target.onChange?.((conditions) => ledger.conditionsChanged(conditions));
  }

  /** Plays `drill` (named by `source`: a shipped id or a file), first stopping and reporting any drill already playing. */
  async start(drill: Drill, source: string): Promise<DrillStatus> {
    // The route is read first: a drive that cannot play stops nothing that is playing.
    const route = this.#route(drill, source);
    if (!route.ok) throw new Error(route.error);
    await this.stop();
    this.#final = undefined;
    this.#finalLives = undefined;
    this.#source = source;
    this.#restarts = [];
    this.ledger.begin(drill.name, drill.lateAfterSeconds);
    const player = this.#play(drill);
    player.start();
    this.#startDrive(drill, player, route.value);
    return this.status();
  }

  /**
   * Picks up the drill restart `restartId` interrupted in the process before this one: the report so far, the link,
   * and the timeline where it was. The switch stays down until the restart's `downSeconds` are over (`untilBackUp`).
   */
  async resume(restartId: string): Promise<ResumeResult> {
    const kept = await this.#processRestart?.keeper.take(restartId);
    if (!kept) return { ok: false, error: 'this switch has no store to resume a drill from' };
    if (!kept.ok) return kept;
    const { drill, source, position, conditions, ledger, restarts, drive } = kept.value;
    const route = this.#route(drill, source ?? '');
    if (!route.ok) return { ok: false, error: route.error };
    this.#source = source;
    this.#final = undefined;
    this.#finalLives = undefined;
    this.#restarts = restarts;
    this.ledger.restore(ledger);
    // The link as it was, without the restart's own outage: not listening yet is what keeps the switch down.
    await this.target.set({ ...conditions, outage: false });
    this.#backUp = new Promise((resolve) => (this.#markBackUp = resolve));
    const player = this.#play(drill);
    player.resume(position);
    this.#startDrive(drill, player, route.value, drive);
    return { ok: true, value: { drill, restart: restarts.at(-1)!, backAtSeconds: (player.nextDueMs() - position.cycleStartMs) / 1000 } };
  }

  /** Resolves once a resumed drill's restart is over: at once when no drill was resumed. */
  untilBackUp(): Promise<void> {
    return this.#backUp;
  }

  async startShipped(id: string): Promise<StartResult> {
    const drill = this.shipped.get(id);
    if (!drill) return { ok: false, code: 'unknown_drill', error: `No shipped drill is called "${id}"; there are ${[...this.shipped.keys()].join(', ')}` };
    const route = this.#route(drill, id);
    if (!route.ok) return { ok: false, code: 'drive_unplayable', error: route.error };
    return { ok: true, value: await this.start(drill, id) };
  }

  /** Stops the playing drill, if any; its report is written before this resolves. */
  async stop(): Promise<void> {
    const player = this.#player;
    if (!player) return;
    await player.stop();
    await player.finished;
    await this.#ending;
  }

  status(): DrillStatus {
    const common = { source: this.#source, restartMode: this.#restartMode, process: this.#process };
    if (!this.#player) {
      return { ...common, state: 'idle', name: null, durationSeconds: null, loop: false, elapsedSeconds: 0, cycle: 0, restarting: false, nextStep: null, lastError: null };
    }
    return { ...this.#player.status(), ...common };
  }

  report(): DrillReport {
    return this.#final ?? this.#withDrive(this.ledger.report(this.#player?.state ?? 'idle', this.#restarts));
  }

  /** The drive of the drill playing or last played, for the instructor page; null when it has none. */
  driveView(): DriveView | null {
    return this.#drive?.player.view() ?? null;
  }

  /** Where every drive's sentences go, and how fast, whatever the drill file says (the command line's options). */
  overrideDrive(overrides: DriveOverrides): void {
    this.#driveOverrides = { ...overrides };
  }

  /** Calls `listener` as the car enters or leaves a coverage polygon; returns the function that stops it. */
  onCrossing(listener: (crossing: DriveCrossing, drill: Drill, area: Coverage) => void): () => void {
    this.#crossingListeners.add(listener);
    return () => this.#crossingListeners.delete(listener);
  }

  /**
   * The report drawn as an SVG document: the frozen final one once a drill has ended, else the report so far. Trails
   * are read now, so lines a terminal uploads after the drill (a late acknowledgement) still appear.
   */
  async drawing(): Promise<string> {
    const report = this.report();
    const { queries, changes } = this.#finalLives ?? this.ledger.lives();
    // Only the terminals that get a lane: a busy switch may have heard from many more, each trail a year long.
    const drawn = chooseLanes(queries, (query) => query.firstReceivedMs);
    const terminals = [...new Set(drawn.flatMap((query) => (query.terminal === undefined ? [] : [query.terminal])))];
    // A trail the store cannot give now leaves its marks unknown, which the drawing says; it never fails the drawing.
    const trails = await Promise.all(terminals.map(async (terminal) => [terminal, await this.#trails(terminal).catch(() => [])] as const));
    const drive = this.#drive ? { route: this.#drive.player.track, coverage: this.#drive.player.drive.coverage } : {};
    return drawReport({ report, changes, queries: queryLives(queries, new Map(trails)), drawnAtMs: this.#clock.now(), ...drive });
  }

  /** Calls `listener` with each drill's final report and its drawing; returns the function that stops it. */
  onReport(listener: ReportListener): () => void {
    this.#reportListeners.add(listener);
    return () => this.#reportListeners.delete(listener);
  }

  /** Calls `listener` as each step falls due; returns the function that stops it. */
  onStep(listener: (event: StepEvent, drill: Drill) => void): () => void {
    this.#stepListeners.add(listener);
    return () => this.#stepListeners.delete(listener);
  }

  #play(drill: Drill): DrillPlayer {
    const player = new DrillPlayer(drill, this.target, this.#clock, (event) => this.#stepped(player, event, drill));
    this.#player = player;
    // Registered before anyone can await `finished`; stop() awaits `#ending`, so the report is out when it resolves.
    this.#ending = player.finished.then((outcome) => this.#end(player, outcome));
    return player;
  }

  #stepped(player: DrillPlayer, event: StepEvent, drill: Drill): void {
    const now = new Date(this.#clock.now()).toISOString();
    if (event.kind === 'down') {
      const kind = this.#processRestart ? 'process' : 'listener';
      this.#restarts.push({ step: event.step, cycle: event.cycle, atSeconds: event.atSeconds, kind, at: now, backAt: null, pidBefore: process.pid, pidAfter: null });
    } else if (event.kind === 'up') {
      const restart = this.#restarts.at(-1);
      if (restart && restart.backAt === null) Object.assign(restart, { backAt: now, pidAfter: process.pid });
      this.#markBackUp();
    }
    for (const listener of this.#stepListeners) listener(event, drill);
    if (event.kind === 'down' && this.#processRestart) void this.#restartProcess(player, this.#processRestart);
  }

  /**
   * Once the restart step has closed the listener (nothing more reaches the ledger), keeps the drill in the store and
   * ends the process. If the drill cannot be kept, the process stays and the step restarts the listener instead.
   */
  async #restartProcess(player: DrillPlayer, { restart, keeper }: NonNullable<DrillSessionOptions['processRestart']>): Promise<void> {
    await player.settled();
    if (player !== this.#player || player.state !== 'running') return;
    const restartId = randomUUID();
    try {
      const [conditions, ledger, restarts] = [this.target.current, this.ledger.snapshot(), this.#restarts];
      const drive = this.#drive ? { inside: this.#drive.player.inside(), crossings: this.#drive.crossings } : undefined;
      await keeper.keep({ restartId, source: this.#source, drill: player.drill, position: player.position(), conditions, ledger, restarts, ...(drive ? { drive } : {}) }, this.#clock.now());
    } catch (error) {
      const open = this.#restarts.at(-1);
      if (open) open.kind = 'listener';
      player.noteError(`the drill could not be kept for a process restart, so only the listener restarts: ${(error as Error).message}`);
      return;
    }
    await restart.restart(restartId);
  }

  /** The drill's route, read and checked now (a shipped drill's from drills/, a file's from beside it); none without a drive. */
  #route(drill: Drill, source: string): { ok: true; value: { drive: Drive; fixes: RouteFix[] } | undefined } | { ok: false; error: string } {
    if (!drill.drive) return { ok: true, value: undefined };
    const drive = { ...drill.drive, ...this.#driveOverrides };
    const file = routeFile(drive.route, this.shipped.has(source) ? { shipped: true } : source);
    const loaded = loadRoute(file);
    if (!loaded.ok) return { ok: false, error: `drive.route: ${loaded.error}` };
    return { ok: true, value: { drive, fixes: loaded.fixes } };
  }

  #startDrive(drill: Drill, player: DrillPlayer, route: { drive: Drive; fixes: RouteFix[] } | undefined, kept?: { inside: DriveInside; crossings: DriveCrossing[] }): void {
    if (!route) {
      this.#drive = undefined;
      return;
    }
    const address = parseHostPort(route.drive.nmeaUdp);
    if (typeof address === 'string') throw new Error(`drive.nmeaUdp: ${address}`);
    const socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
    // Nobody listening (the terminal not started yet) is normal in a class: the sentences are simply lost, as on a car's LAN.
    socket.on('error', () => {});
    socket.unref();
    const crossings = [...(kept?.crossings ?? [])];
    const drivePlayer = new DrivePlayer(
      route.drive,
      route.fixes,
      this.target,
      this.#clock,
      {
        send: (sentence) => socket.send(`${sentence}\r\n`, address.port, address.host, () => {}),
        cycle: () => player.position(),
        running: () => player === this.#player && player.state === 'running',
        crossed: (crossing, area) => {
          crossings.push(crossing);
          for (const listener of this.#crossingListeners) listener(crossing, drill, area);
        },
      },
      kept?.inside,
    );
    this.#drive = { player: drivePlayer, socket, crossings };
    drivePlayer.start();
  }

  async #stopDrive(): Promise<void> {
    const drive = this.#drive;
    if (!drive) return;
    await drive.player.stop();
    await new Promise<void>((resolve) => {
      try {
        drive.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  #withDrive(report: DrillReport): DrillReport {
    const drive = this.#player?.drill.drive;
    return drive && this.#drive ? { ...report, drive: { route: drive.route, crossings: [...this.#drive.crossings] } } : report;
  }

  async #end(player: DrillPlayer, outcome: 'ended' | 'stopped'): Promise<void> {
    if (player !== this.#player) return;
    this.#markBackUp();
    await this.#stopDrive();
    this.#final = this.#withDrive(this.ledger.report(outcome, this.#restarts));
    this.#finalLives = this.ledger.lives();
    const final = this.#final;
    // The report goes out whatever happens to its drawing: the JSON file is the record.
    const drawing = await this.drawing().then(
      (value) => ({ ok: true, value }) as const,
      (error: unknown) => ({ ok: false, error: (error as Error).message }) as const,
    );
    for (const listener of this.#reportListeners) listener(final, drawing);
  }
}
