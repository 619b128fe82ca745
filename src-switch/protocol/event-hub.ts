// The event stream: answer parts for one terminal, broadcasts for all, resumable with Last-Event-ID. Every
// event is appended to the store's log first, so a terminal resumes across a restart of the switch, and on
// any node of several: a node reads back what the others appended (told by the store, or every second).
import type { ServerResponse } from 'node:http';
import type { SwitchEvent } from '../../src-shared/protocol.ts';
import type { StoredEvent, SwitchStore } from '../store/store.ts';

interface LoggedEvent {
  readonly seq: number;
  /** The one terminal this event is for; a broadcast when undefined. */
  readonly terminal: string | undefined;
  readonly type: SwitchEvent['type'];
  /** Serialised once, when published: every stream writes the same bytes. */
  readonly frame: string;
  readonly at: number;
  readonly onWritten: (() => void) | undefined;
}

interface Stream {
  readonly terminal: string;
  readonly response: ServerResponse;
  /** The last sequence number written to (or skipped for) this stream. */
  cursor: number;
  lastWriteAt: number;
}

export interface EventHubOptions {
  /** Events kept for resuming; older ones are dropped and a terminal that needed them is told to poll. */
  retained: number;
  retentionMs: number;
  heartbeatMs: number;
  /** While true the far side is silent (a black-hole drill): nothing is written, not even heartbeats. */
  paused?: () => boolean;
  clock?: () => number;
}

/** Where a stream starts: after `seq`, and whether the terminal missed events the hub no longer has. */
export interface ResumePoint {
  after: number;
  gap: string | undefined;
}

const frame = (id: string, type: string, data: unknown) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/** How many events one read-back takes from the store. */
const PULL_BATCH = 1000;

export class EventHub {
  /** Names the store in every event id: a terminal resuming from another store (or a reset one) is told of the gap. */
  readonly epoch: string;
  #log: LoggedEvent[] = [];
  /** The highest sequence read back from (or appended to) the store: everything up to it is in the log. */
  #pulled = 0;
  readonly #streams = new Set<Stream>();
  /** The same streams by terminal: an event for one terminal is written to its streams without a look at the rest. */
  readonly #byTerminal = new Map<string, Set<Stream>>();
  /**
   * The last logged event for each terminal, and the last broadcast: a stream whose cursor has reached the one
   * before a new event has nothing else to write, and takes the new one without a walk through the log (past
   * every other terminal's events: thousands, with thousands of terminals).
   */
  readonly #lastFor = new Map<string, number>();
  #lastBroadcast = 0;
  /** Whether events were held back by a black hole: the first tick after it writes them. */
  #wasPaused = false;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #clock: () => number;
  /** Callbacks for events this node appended, run when the event is written to its terminal's stream. */
  readonly #onWritten = new Map<number, () => void>();
  #pulling: Promise<void> | undefined;
  #again = false;
  readonly #unlisten: () => void;

  constructor(
    private readonly options: EventHubOptions,
    private readonly store: SwitchStore,
  ) {
    this.epoch = store.id;
    this.#clock = options.clock ?? Date.now;
    // One timer for every stream: heartbeats, catching up once a black hole ends, and (several nodes) reading back.
    this.#timer = setInterval(() => this.#tick(), Math.min(1000, options.heartbeatMs));
    this.#timer.unref();
    this.#unlisten = store.onEvents(() => void this.pull());
  }

  /** Reads the log the store still holds, so a restarted switch resumes terminals where they were. */
  async start(): Promise<void> {
    const { first, last } = await this.store.eventBounds();
    this.#pulled = Math.max(0, first - 1, last - this.options.retained);
    await this.pull();
  }

  /** Reads back events appended since the last read (by this node or another) and writes them to the streams. */
  pull(): Promise<void> {
    if (this.#pulling) {
      this.#again = true;
      return this.#pulling;
    }
    this.#pulling = (async () => {
      do {
        this.#again = false;
        for (;;) {
          const events = await this.store.eventsAfter(this.#pulled, PULL_BATCH);
          for (const event of events) this.#hold(event);
          if (events.length < PULL_BATCH) break;
        }
      } while (this.#again);
    })().finally(() => (this.#pulling = undefined));
    return this.#pulling;
  }

  get streams(): number {
    return this.#streams.size;
  }

  /**
   * Appends an event for one terminal (or all, when `terminal` is undefined) to the store, then writes it to
   * every open stream it is for. Resolves with its id once it is stored.
   */
  async publish(event: SwitchEvent, terminal: string | undefined, onWritten?: () => void): Promise<string> {
    const seq = await this.store.appendEvent(terminal ?? null, event.type, event.data, this.#clock());
    if (onWritten) this.#onWritten.set(seq, onWritten);
    // One writer: the events come back in order, so this one can go straight in; several: read back in order.
    if (!this.store.shared && seq === this.#pulled + 1) this.#hold({ seq, terminal: terminal ?? null, type: event.type, data: event.data, at: this.#clock() });
    else await this.pull();
    return `${this.epoch}-${seq}`;
  }

  #hold(event: StoredEvent): void {
    if (event.seq <= this.#pulled) return;
    this.#pulled = event.seq;
    const id = `${this.epoch}-${event.seq}`;
    const onWritten = this.#onWritten.get(event.seq);
    this.#onWritten.delete(event.seq);
    const terminal = event.terminal ?? undefined;
    const logged: LoggedEvent = { seq: event.seq, terminal, type: event.type as SwitchEvent['type'], frame: frame(id, event.type, event.data), at: event.at, onWritten };
    this.#log.push(logged);
    // Before this event: the last one each stream it is for had to see.
    const before = (of: string) => Math.max(this.#lastFor.get(of) ?? 0, this.#lastBroadcast);
    const behind = terminal === undefined ? undefined : before(terminal);
    if (terminal === undefined) {
      for (const stream of this.#streams) this.#deliver(stream, logged, before(stream.terminal));
      this.#lastBroadcast = event.seq;
    } else {
      for (const stream of this.#byTerminal.get(terminal) ?? []) this.#deliver(stream, logged, behind!);
      this.#lastFor.set(terminal, event.seq);
    }
    this.#trim();
  }

  /** Writes `event` to a stream that has seen everything for it up to `before`; otherwise catches it up from the log. */
  #deliver(stream: Stream, event: LoggedEvent, before: number): void {
    if (stream.cursor < before || this.options.paused?.()) {
      this.#flush(stream);
      return;
    }
    if (stream.response.writableEnded) return;
    stream.cursor = event.seq;
    stream.response.write(event.frame);
    stream.lastWriteAt = this.#clock();
    event.onWritten?.();
  }

  /** Reads a Last-Event-ID: resume after it, or from the start with a `gap` when it is from another run of the switch or too old. */
  resumePoint(lastEventId: string | undefined): ResumePoint {
    if (!lastEventId) return { after: 0, gap: undefined };
    const match = /^([0-9a-f]{8})-(\d+)$/.exec(lastEventId);
    if (!match) return { after: 0, gap: 'The stream position sent is not one this switch made' };
    if (match[1] !== this.epoch) return { after: 0, gap: 'The switch has restarted since this terminal last listened' };
    const after = Number(match[2]);
    const oldest = this.#log[0]?.seq ?? this.#pulled + 1;
    if (after + 1 < oldest) return { after, gap: 'Events this terminal missed are no longer held' };
    return { after, gap: undefined };
  }

  /** Streams to `response` from the resume point on, until the connection closes. */
  attach(terminal: string, response: ServerResponse, from: ResumePoint): void {
    const stream: Stream = { terminal, response, cursor: from.after, lastWriteAt: this.#clock() };
    // The browser's own EventSource reconnects after this long; Outrider's reader keeps its own backoff.
    response.write('retry: 2000\n\n');
    if (from.gap) response.write(frame(`${this.epoch}-${from.after}`, 'gap', { reason: from.gap }));
    this.#streams.add(stream);
    const mine = this.#byTerminal.get(terminal) ?? new Set<Stream>();
    this.#byTerminal.set(terminal, mine.add(stream));
    response.once('close', () => {
      this.#streams.delete(stream);
      mine.delete(stream);
      if (mine.size === 0 && this.#byTerminal.get(terminal) === mine) this.#byTerminal.delete(terminal);
    });
    this.#flush(stream);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unlisten();
    for (const stream of this.#streams) stream.response.end();
    this.#streams.clear();
    this.#byTerminal.clear();
  }

  #flush(stream: Stream): void {
    if (this.options.paused?.()) {
      // Held back: the first tick after the black hole writes it, however short the black hole was.
      this.#wasPaused = true;
      return;
    }
    if (stream.response.writableEnded) return;
    const start = this.#firstAfter(stream.cursor);
    for (let i = start; i < this.#log.length; i++) {
      const event = this.#log[i]!;
      stream.cursor = event.seq;
      if (event.terminal !== undefined && event.terminal !== stream.terminal) continue;
      stream.response.write(event.frame);
      stream.lastWriteAt = this.#clock();
      event.onWritten?.();
    }
  }

  #tick(): void {
    if (this.store.shared) void this.pull().catch(() => undefined);
    if (this.options.paused?.()) {
      this.#wasPaused = true;
      return;
    }
    // Events are written as they come; only what a black hole held back waits for a tick. Flushing every
    // stream on every tick would look at every new event once per stream: thousands of streams, each second.
    const catchUp = this.#wasPaused;
    this.#wasPaused = false;
    const now = this.#clock();
    for (const stream of this.#streams) {
      if (catchUp) this.#flush(stream);
      if (now - stream.lastWriteAt >= this.options.heartbeatMs && !stream.response.writableEnded) {
        stream.response.write(': heartbeat\n\n');
        stream.lastWriteAt = now;
      }
    }
  }

  /** Index of the first logged event after `seq` (the log is in sequence order). */
  #firstAfter(seq: number): number {
    let low = 0;
    let high = this.#log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#log[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #trim(): void {
    // Trimmed in batches (a tenth over the limit), so a busy switch does not copy the log on every event.
    const slack = Math.ceil(this.options.retained / 10);
    const cutoff = this.#clock() - this.options.retentionMs;
    if (this.#log.length <= this.options.retained + slack && (this.#log[0]?.at ?? Infinity) >= cutoff) return;
    let drop = Math.max(0, this.#log.length - this.options.retained);
    while (drop < this.#log.length && this.#log[drop]!.at < cutoff) drop++;
    this.#log = this.#log.slice(drop);
    // A terminal with no event left in the log needs no entry: the walk from its stream's cursor finds none either.
    const oldest = this.#log[0]?.seq ?? this.#pulled + 1;
    for (const [terminal, seq] of this.#lastFor) if (seq < oldest) this.#lastFor.delete(terminal);
  }
}
