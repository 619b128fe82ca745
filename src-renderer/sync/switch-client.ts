// Talks HTTP to the message switch and turns every way a request can end into one of three outcomes.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { ErrorBody, Health, IDEMPOTENCY_HEADER, paths, PREFER_ASYNC, QueryAccepted, QueryAnswer, QueryStatus, type QuerySubmission } from '../../src-shared/protocol.ts';
import type { OutboxEntry } from '../db/database.ts';
import { parseRetryAfter } from './backoff.ts';

export type SendOutcome =
  | { kind: 'answered'; answer: QueryAnswer }
  /** The switch holds the query (202); its parts come on the event stream. */
  | { kind: 'accepted'; accepted: QueryAccepted }
  /** Worth sending again. `linkDown` says the switch could not be reached at all. */
  | { kind: 'transient'; reason: string; linkDown: boolean; retryAfterMs?: number }
  /** The switch refused this query and would refuse it again. */
  | { kind: 'rejected'; reason: string };

export type PollOutcome =
  | { kind: 'status'; status: QueryStatus }
  /** The switch does not know the key (it restarted, or the query never reached it): send it again. */
  | { kind: 'unknown' }
  | { kind: 'unreachable'; reason: string };

export type ProbeResult = { ok: true; rttMs: number } | { ok: false; reason: string };

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `No answer from the switch within ${timeoutMs / 1000} s`;
  }
  return 'The switch cannot be reached';
}

async function errorMessage(response: Response): Promise<string> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
  return parsed.success ? parsed.data.error.message : `The switch answered ${response.status}`;
}

export class SwitchClient {
  readonly #base: string;

  /**
   * `terminal` is this install's identity: with it the switch answers part by part on the event stream.
   * `fetcher` carries the officer's session (see session/authorized-fetch.ts).
   */
  constructor(
    switchUrl: string,
    private readonly terminal?: () => Promise<string>,
    private readonly fetcher: typeof fetch = fetch,
  ) {
    this.#base = switchUrl.replace(/\/+$/, '');
  }

  get baseUrl(): string {
    return this.#base;
  }

  /** Sends one query; `onDelivered` runs once the switch has accepted it with a whole answer, before its body is read. */
  async send(entry: OutboxEntry, onDelivered: () => Promise<void> = async () => undefined, timeoutMs: number = FIELD_CONFIG.requestTimeoutMs): Promise<SendOutcome> {
    const terminal = await this.terminal?.();
    // The body is the same on every attempt (askedAt included), so a resend is a replay, never a second query.
    const submission: QuerySubmission = { query: entry.query, askedAt: entry.askedAt, priority: entry.priority, ...(terminal ? { terminal } : {}) };
    let response: Response;
    try {
      response = await this.fetcher(`${this.#base}${paths.queries}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: entry.id, ...(terminal ? { Prefer: PREFER_ASYNC } : {}) },
        body: JSON.stringify(submission),
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
    } catch (error) {
      return { kind: 'transient', reason: describeFetchError(error, timeoutMs), linkDown: true };
    }
    if (response.status === 429 || response.status === 503) {
      const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
      const reason = `The switch is busy (${response.status})`;
      return retryAfterMs === undefined ? { kind: 'transient', reason, linkDown: false } : { kind: 'transient', reason, linkDown: false, retryAfterMs };
    }
    // The session ended on the switch (expired, revoked, switch restarted without its key): the query is
    // not at fault, so it waits in the queue for the officer to sign in again.
    if (response.status === 401) return { kind: 'transient', reason: 'Waiting for you to sign in again', linkDown: false };
    if (response.status >= 500 || response.status === 408) {
      return { kind: 'transient', reason: `The switch failed (${response.status}); will ask again`, linkDown: false };
    }
    if (!response.ok) return { kind: 'rejected', reason: await errorMessage(response) };
    try {
      // A 202 is small: the caller records it as delivered together with what it says, in one write.
      if (response.status === 202) return { kind: 'accepted', accepted: QueryAccepted.parse(await response.json()) };
      // A switch may answer at once even when asked to answer later (RFC 7240 leaves it free to); a whole
      // answer is large and slow on a bad link, so the entry is marked delivered before its body is read.
      await onDelivered();
      // A body cut short by a dropping link fails here; the resend replays the stored answer.
      return { kind: 'answered', answer: QueryAnswer.parse(await response.json()) };
    } catch {
      return { kind: 'transient', reason: 'The answer arrived incomplete; asking again', linkDown: false };
    }
  }

  /** The poll fallback: every part of one query so far. */
  async poll(key: string, timeoutMs: number = FIELD_CONFIG.requestTimeoutMs): Promise<PollOutcome> {
    const terminal = await this.terminal?.();
    const query = terminal ? `?terminal=${encodeURIComponent(terminal)}` : '';
    try {
      const response = await this.fetcher(`${this.#base}${paths.query(key)}${query}`, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
      if (response.status === 404) return { kind: 'unknown' };
      if (!response.ok) return { kind: 'unreachable', reason: `The switch answered ${response.status}` };
      return { kind: 'status', status: QueryStatus.parse(await response.json()) };
    } catch (error) {
      return { kind: 'unreachable', reason: describeFetchError(error, timeoutMs) };
    }
  }

  async probe(timeoutMs: number = FIELD_CONFIG.probeTimeoutMs): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.#base}${paths.health}`, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
      if (!response.ok) return { ok: false, reason: `The switch answered ${response.status}` };
      Health.parse(await response.json());
      return { ok: true, rttMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: describeFetchError(error, timeoutMs) };
    }
  }
}
