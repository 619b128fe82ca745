// Reads the switch's event stream with fetch, so it can resume where storage says, notice a silent far side, and back off.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { SseParser, type StreamEvent } from '../../src-shared/sse.ts';
import { backoffDelay } from './backoff.ts';

export interface EventStreamDeps {
  /** The stream's address for this terminal, resuming after `lastEventId` when there is one. */
  url(lastEventId: string | undefined): Promise<string>;
  /** The last event stored, read afresh at every connection: storage, not memory, says where to resume. */
  cursor(): Promise<string | undefined>;
  /** Stores the events one read brought; the stream reads no further until it resolves, so events are applied in order. */
  apply(events: StreamEvent[]): Promise<void>;
  link: { readonly canSend: boolean; onChange(listener: () => void): () => void };
  silenceMs?: number;
  connectTimeoutMs?: number;
  random?: () => number;
  /** Carries the officer's session; the global fetch by default. */
  fetch?: typeof fetch;
}

export type StreamState = 'closed' | 'connecting' | 'open';

export class EventStream {
  state: StreamState = 'closed';
  #stopped = true;
  #controller: AbortController | undefined;
  #failures = 0;
  /** Wakes the reconnect wait early: the link came back, or the stream is being stopped. */
  #wake: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: EventStreamDeps) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.deps.link.onChange(() => {
      if (this.deps.link.canSend) this.#wake?.();
      // The link is judged down: a stream still "open" on a dead link would only wait for the silence timeout.
      else this.#controller?.abort(new DOMException('The link is down', 'AbortError'));
    });
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#controller?.abort(new DOMException('Stopped', 'AbortError'));
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (this.deps.link.canSend) {
        const opened = await this.#connect().catch(() => false);
        if (this.#stopped) break;
        // A stream that opened and later dropped is a fresh start; one that never opened backs off further.
        this.#failures = opened ? 1 : this.#failures + 1;
      }
      const delay = this.deps.link.canSend ? backoffDelay(this.#failures, { baseMs: FIELD_CONFIG.probeBackoffBaseMs, capMs: FIELD_CONFIG.probeBackoffCapMs }, this.deps.random) : Infinity;
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(delay) ? setTimeout(resolve, delay) : undefined;
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = undefined;
    }
    this.state = 'closed';
  }

  /** One connection, read until it ends, fails or falls silent. Resolves whether it ever opened. */
  async #connect(): Promise<boolean> {
    this.state = 'connecting';
    const controller = new AbortController();
    this.#controller = controller;
    const silenceMs = this.deps.silenceMs ?? FIELD_CONFIG.streamSilenceMs;
    let watchdog = setTimeout(() => controller.abort(new DOMException('No answer from the switch', 'TimeoutError')), this.deps.connectTimeoutMs ?? FIELD_CONFIG.requestTimeoutMs);
    const feed = () => {
      clearTimeout(watchdog);
      // Heartbeats arrive every few seconds: a stream silent for longer is dead, whatever TCP thinks.
      watchdog = setTimeout(() => controller.abort(new DOMException('The event stream fell silent', 'TimeoutError')), silenceMs);
    };
    let opened = false;
    const batches = new Batches((events) => this.deps.apply(events), () => controller.abort(new DOMException('Storing events failed', 'AbortError')));
    try {
      const cursor = await this.deps.cursor();
      const response = await (this.deps.fetch ?? fetch)(await this.deps.url(cursor), { signal: controller.signal, cache: 'no-store', headers: { Accept: 'text/event-stream' } });
      if (!response.ok || !response.body) return false;
      opened = true;
      this.state = 'open';
      feed();
      const parser = new SseParser(cursor);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed();
        const events = parser.push(value);
        if (this.#stopped) return opened;
        batches.add(events);
      }
    } catch {
      // Aborted (silence, link down, stop, a batch not stored) or the connection broke: the caller reconnects with backoff.
    } finally {
      clearTimeout(watchdog);
      controller.abort();
      // What was read is stored before the next connection reads where to resume from.
      await batches.idle();
      this.state = 'closed';
    }
    return opened;
  }
}

/**
 * Events waiting to be stored, applied in order, one batch at a time: whatever arrived while a batch was being
 * stored goes in the next one, whole. Under a burst (a drained backlog answering) that is one transaction for
 * many answers rather than one per network read; with nothing waiting, an event is applied the moment it comes.
 * A batch that fails stops everything after it (its events would be skipped, the stored position moving past
 * them): the connection is dropped, and the next one resumes from the last position stored.
 */
class Batches {
  #waiting: StreamEvent[] = [];
  #running: Promise<void> | undefined;
  #failed = false;

  constructor(
    private readonly apply: (events: StreamEvent[]) => Promise<void>,
    private readonly onFailure: () => void,
  ) {}

  add(events: readonly StreamEvent[]): void {
    if (events.length === 0 || this.#failed) return;
    this.#waiting.push(...events);
    this.#running ??= this.#drain();
  }

  /** Resolves once every event added has been applied, or a batch has failed. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0 && !this.#failed) {
        const batch = this.#waiting;
        this.#waiting = [];
        await this.apply(batch);
      }
    } catch {
      this.#failed = true;
      this.#waiting = [];
      this.onFailure();
    } finally {
      this.#running = undefined;
    }
  }
}
