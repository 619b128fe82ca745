// The drill the switch is playing: started from the CLI or the instructor page, reported on when it ends.
import type { Drill, DrillReport, DrillStatus } from '../../src-shared/drill.ts';
import { type DrillClock, DrillPlayer, type DrillTarget, type StepEvent, systemClock } from './drill-player.ts';
import type { QueryLedger } from './query-ledger.ts';
import { shippedDrills } from './shipped-drills.ts';

export type StartResult = { ok: true; value: DrillStatus } | { ok: false; error: string };

export class DrillSession {
  #player: DrillPlayer | undefined;
  #source: string | null = null;
  /** The last drill's report, frozen when it ended, so later traffic does not change what the class is shown. */
  #final: DrillReport | undefined;
  readonly #reportListeners = new Set<(report: DrillReport) => void>();
  readonly #stepListeners = new Set<(event: StepEvent, drill: Drill) => void>();

  constructor(
    private readonly target: DrillTarget,
    private readonly ledger: QueryLedger,
    private readonly clock: DrillClock = systemClock,
    readonly shipped: ReadonlyMap<string, Drill> = shippedDrills(),
  ) {}

  /** Plays `drill` (named by `source`: a shipped id or a file), first stopping and reporting any drill already playing. */
  async start(drill: Drill, source: string): Promise<DrillStatus> {
    await this.stop();
    this.#final = undefined;
    this.#source = source;
    this.ledger.begin(drill.name, drill.lateAfterSeconds);
    const player = new DrillPlayer(drill, this.target, this.clock, (event) => this.#stepListeners.forEach((listener) => listener(event, drill)));
    this.#player = player;
    // Registered before anyone can await `finished`, so the report is out by the time stop() resolves.
    void player.finished.then((outcome) => this.#end(player, outcome));
    player.start();
    return this.status();
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
  }

  status(): DrillStatus {
    if (!this.#player) {
      return { state: 'idle', source: null, name: null, durationSeconds: null, loop: false, elapsedSeconds: 0, cycle: 0, restarting: false, nextStep: null, lastError: null };
    }
    return { ...this.#player.status(), source: this.#source };
  }

  report(): DrillReport {
    return this.#final ?? this.ledger.report(this.#player?.state ?? 'idle');
  }

  /** Calls `listener` with each drill's final report; returns the function that stops it. */
  onReport(listener: (report: DrillReport) => void): () => void {
    this.#reportListeners.add(listener);
    return () => this.#reportListeners.delete(listener);
  }

  /** Calls `listener` as each step falls due; returns the function that stops it. */
  onStep(listener: (event: StepEvent, drill: Drill) => void): () => void {
    this.#stepListeners.add(listener);
    return () => this.#stepListeners.delete(listener);
  }

  #end(player: DrillPlayer, outcome: 'ended' | 'stopped'): void {
    if (player !== this.#player) return;
    this.#final = this.ledger.report(outcome);
    for (const listener of this.#reportListeners) listener(this.#final);
  }
}
