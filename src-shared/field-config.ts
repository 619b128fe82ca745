// Numbers the field depends on, each with where it comes from. Nothing else restates them.
export const FIELD_CONFIG = {
  /** A request to the switch gives up after this long; a car modem can hold a dead TCP link for minutes. */
  requestTimeoutMs: 10_000,
  /** Heartbeat probe timeout: a probe is small, so a slow one already means a degraded link. */
  probeTimeoutMs: 3_000,
  /** Heartbeat while online, so a silent far side is noticed within seconds. */
  heartbeatIntervalMs: 5_000,
  /** Offline probes back off exponentially with full jitter from this base... */
  probeBackoffBaseMs: 1_000,
  /** ...up to this cap (about 30 s, so a car leaving a tunnel reconnects quickly). */
  probeBackoffCapMs: 30_000,
  /** ...but only up to this while queries wait to be sent: a probe is a few hundred bytes, and an officer
   *  leaving a tunnel with a hit in the queue should see it within about a second (issue 8: link back ≤ 1.5 s). */
  urgentProbeCapMs: 1_000,
  /** A probe slower than this means the link is degraded (slow), though still usable. Unverified: tune per fleet. */
  degradedRttMs: 1_500,
  /** Failed attempts among the last `lossWindow` requests that make a reachable link count as lossy. */
  lossyFailures: 2,
  lossWindow: 8,
  /** An answer to a query asked longer ago than this is marked late (issue 4: configurable minutes). */
  lateAnswerMinutes: 5,
  /** Queries in flight at once (issue: bounded, default 4). */
  maxInFlight: 4,
  /** Largest request body the switch accepts; a query is well under 1 KiB. */
  maxBodyBytes: 16 * 1024,
  /** Idempotency keys are kept at least this long (IETF Idempotency-Key draft; issue: 24 hours). */
  idempotencyRetentionMs: 24 * 60 * 60 * 1000,
  /** The switch writes a comment on an idle event stream this often, so a dead stream is noticed. */
  streamHeartbeatMs: 5_000,
  /** The terminal drops and reopens an event stream silent for this long (three missed heartbeats). */
  streamSilenceMs: 15_000,
  /** An accepted query with no complete answer after this long is asked for directly (the poll fallback). */
  answerPollAfterMs: 10_000,
  /** Events the switch keeps for terminals to resume from with Last-Event-ID: about 5,000 answered queries
   *  (a few MB). A terminal away longer gets a `gap` event and polls what it still waits for. */
  eventsRetained: 20_000,
  /** Queries sent from one window whose hit can be shown from memory; past this, storage decides (Outrider
   *  choice: a link down for hours with thousands sent must not grow the page's memory without bound). */
  sentQueriesKept: 2_000,
} as const;
