// The drill the switch is playing: started from the CLI or the instructor page, carried across a process restart,
// reported on when it ends.
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import type { Drill, DrillReport, DrillRestart, DrillStatus } from '../../src-shared/drill.ts';
import { type DrillClock, DrillPlayer, type DrillTarget, type StepEvent, systemClock } from './drill-player.ts';
import type { DrillKeeper } from './drill-keeper.ts';
import type { QueryLedger } from './query-ledger.ts';
import { queryLives } from './query-lives.ts';
import { chooseLanes, drawReport } from './report-drawing.ts';
import { shippedDrills } from './shipped-drills.ts';

export type StartResult = { ok: true; value: DrillStatus } | { ok: false; error: string };
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
    await this.stop();
    this.#final = undefined;
    this.#finalLives = undefined;
    this.#source = source;
    this.#restarts = [];
    this.ledger.begin(drill.name, drill.lateAfterSeconds);
    this.#play(drill).start();
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
    const { drill, source, position, conditions, ledger, restarts } = kept.value;
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
    return { ok: true, value: { drill, restart: restarts.at(-1)!, backAtSeconds: (player.nextDueMs() - position.cycleStartMs) / 1000 } };
  }

  /** Resolves once a resumed drill's restart is over: at once when no drill was resumed. */
  untilBackUp(): Promise<void> {
    return this.#backUp;
  }

  async startShipped(id: string): Promise<StartResult> {
    const drill = this.shipped.get(id);
    if (!drill) return { ok: false, error: `No shipped drill is called "${id}"; there are ${[...this.shipped.keys()].join(', ')}` };
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
    return this.#final ?? this.ledger.report(this.#player?.state ?? 'idle', this.#restarts);
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
    return drawReport({ report, changes, queries: queryLives(queries, new Map(trails)), drawnAtMs: this.#clock.now() });
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
      await keeper.keep({ restartId, source: this.#source, drill: player.drill, position: player.position(), conditions, ledger, restarts }, this.#clock.now());
    } catch (error) {
      const open = this.#restarts.at(-1);
      if (open) open.kind = 'listener';
      player.noteError(`the drill could not be kept for a process restart, so only the listener restarts: ${(error as Error).message}`);
      return;
    }
    await restart.restart(restartId);
  }

  async #end(player: DrillPlayer, outcome: 'ended' | 'stopped'): Promise<void> {
    if (player !== this.#player) return;
    this.#markBackUp();
    this.#final = this.ledger.report(outcome, this.#restarts);
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
