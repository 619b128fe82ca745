// Every timing and limit the terminal and the shared contract depend on, each with the rule it comes from:
// a CJIS Security Policy control, the NCIC Operating Manual, or an Outrider choice and why. Nothing restates them.
export const FIELD_CONFIG = {
  // The link to the switch.
  /** Outrider choice: a request gives up after this long, since a car modem can hold a dead TCP link for minutes. */
  requestTimeoutMs: 10_000,
  /** Outrider choice: a probe is small, so one this slow already means a degraded link. */
  probeTimeoutMs: 3_000,
  /** Outrider choice: a heartbeat while online, so a silent far side is noticed within seconds. */
  heartbeatIntervalMs: 5_000,
  /** Outrider choice: offline probes back off exponentially with full jitter from this base... */
  probeBackoffBaseMs: 1_000,
  /** ...up to this cap, so a car leaving a tunnel reconnects within about 30 s... */
  probeBackoffCapMs: 30_000,
  /** ...but only up to this while queries wait: a probe is a few hundred bytes, and a hit in the queue should
   *  reach the officer within 1.5 s of the link returning. */
  urgentProbeCapMs: 1_000,
  /** Outrider choice, unverified in the field: a probe slower than this means a slow (degraded) link. Tune per fleet. */
  degradedRttMs: 1_500,
  /** Outrider choice: this many failures among the last `lossWindow` requests make a reachable link lossy. */
  lossyFailures: 2,
  lossWindow: 8,

  // Queries and answers.
  /** Outrider choice: an answer to a query asked longer ago than this is marked late; the car may have left the stop. */
  lateAnswerMinutes: 5,
  /** Outrider choice: queries in flight at once, enough to drain a queue without flooding a thin link. */
  maxInFlight: 4,
  /** Outrider choice: the largest request body the switch accepts; a query is well under 1 KiB. */
  maxBodyBytes: 16 * 1024,
  /** IETF Idempotency-Key draft: keys are kept at least 24 hours, so any resend within a shift is a replay. */
  idempotencyRetentionMs: 24 * 60 * 60 * 1000,
  /** Outrider choice: the switch writes a comment on an idle event stream this often, so a dead stream is noticed. */
  streamHeartbeatMs: 5_000,
  /** Outrider choice: three missed heartbeats, and the terminal reopens the stream. */
  streamSilenceMs: 15_000,
  /** Outrider choice: an accepted query with no complete answer after this long is asked for directly. */
  answerPollAfterMs: 10_000,
  /** Outrider choice: how often the sending window looks for overdue answers (each is polled only when overdue). */
  answerPollIntervalMs: 2_000,
  /** Outrider choice: events kept to resume from, about 5,000 answered queries in a few MB; a terminal away longer
   *  gets a `gap` event and polls. */
  eventsRetained: 20_000,
  /** Outrider choice: queries one window remembers so a hit shows before it is stored; past this, storage decides,
   *  so a long outage with thousands sent cannot grow the page without bound. */
  sentQueriesKept: 2_000,
  /** Outrider choice: at a shift's end, how often the terminal looks whether sends on the wire have settled. */
  shutdownSettlePollMs: 50,
  /** Outrider choice: the form as typed is sealed ahead this long after the last key: one key's gap at most. */
  preparePauseMs: 30,

  // The screen.
  /** Outrider choice: views re-read at most five times a second, so reading never holds up a query being queued. */
  viewRefreshMs: 200,
  /** Outrider choice: ages are shown to the minute; a quarter-minute tick keeps them at most that far behind. */
  clockTickMs: 15_000,
  /** Outrider choice: recent queries the results list shows, and the recall list offers. */
  resultsShown: 50,
  recallShown: 12,

  // The offline hotlist.
  /** Outrider choice: ALPR practice refreshes at least daily; every ten minutes keeps a recovered car's plate off
   *  the list within the shift. */
  hotlistRefreshMs: 10 * 60_000,
  /** Outrider choice: a million plates are 3.7 MB gzipped; a slow car modem needs time, but not forever. */
  hotlistFetchTimeoutMs: 120_000,
  /** Outrider choice (the design's domain notes): a car's hotlist is refreshed at least daily, so one older is shown as stale. */
  hotlistStaleAfterMs: 24 * 60 * 60_000,
  /** Outrider choice: plates per stored chunk, so a delta rewrites a few chunks, not the list. */
  hotlistChunkPlates: 50_000,
  /** Outrider choice: deltas kept as a journal until either limit, then folded into the chunks. */
  hotlistJournalLimit: { plates: 50_000, rows: 4 },

  // CJI on the device.
  /** CJIS Security Policy 5.13 (mobile devices) asks to keep as little CJI on the device as the work needs:
   *  answers older than a 12-hour shift are purged, unless the agency profile says otherwise. */
  retentionHours: 12,
  /** Outrider choice: how often the purge runs. */
  retentionSweepMs: 10 * 60_000,
  /** Outrider choice: opened values kept in memory, so a view re-reading the same rows does not open them again. */
  openedValuesKept: 4_000,

  // The audit trail (CJIS Security Policy 5.4, AU-2 and AU-3: events logged with who, what, when, where, outcome).
  /** Outrider choice: the most records one upload carries; the body limit (maxBodyBytes) usually cuts first. */
  auditBatchRecords: 500,
  /** Outrider choice: the wait after an upload the switch failed (5xx, no receipt), doubled for each failure in a
   *  row, up to sixteen times: a switch in trouble is not pressed. */
  auditRetryMs: 30_000,
  /** Outrider choice: the wait after an upload the link lost (no answer at all), doubled for each failure in a row,
   *  up to auditRetryMs: a flapping link loses uploads as it loses queries, and the trail follows it back as they do. */
  auditLinkRetryMs: 1_000,
  /** Outrider choice: a queue journal file younger than this is kept at start whatever the database holds: another
   *  window's query has its file written a few milliseconds before its commit, and a start must not take it. */
  journalSettleMs: 60_000,
  /** Outrider choice: the queue journal lets go of copies the database no longer holds this long after start, so
   *  reading a shift's outbox keys does not hold the start up. */
  journalTidyAfterMs: 10_000,
  /** Outrider choice: new lines wait this long, so a burst goes in one upload and none runs during Enter. */
  auditGatherMs: 1_000,
  /** Outrider choice: while queries wait to be sent, the upload looks again this often, standing aside at most the limit. */
  auditYieldMs: 1_000,
  auditYieldLimitMs: 60_000,

  // Hit confirmation (YQ/YR).
  /** NCIC Operating Manual, Introduction 3.4 (hit confirmation): the holder of the record must answer an urgent
   *  request within 10 minutes and a routine one within 1 hour. */
  confirmationDueMinutes: { urgent: 10, routine: 60 },
  /** Outrider choice: due times are checked and unsent requests retried this often; the countdown shows seconds. */
  confirmationTickMs: 1_000,
  /** Outrider choice: a confirmation request gives up as a query does. */
  confirmationTimeoutMs: 10_000,

  // The car's GPS (issue #23).
  /** Outrider choice: receivers report once a second, so a fix not renewed for 10 s (ten missed reports) is shown
   *  as stale rather than as where the car is. */
  gpsStaleAfterMs: 10_000,
  /** Outrider choice: a pursuit-rated patrol car tops out near 150 mph (67 m/s); a reported speed above 100 m/s
   *  (224 mph) is a receiver or wiring fault, rejected and counted, never shown or used for the motion lock. */
  gpsMaxSpeedMps: 100,
  /** Outrider choice: a query's and an audit line's position keep 6 decimal places of a degree (about 0.1 m), finer
   *  than any car receiver is accurate, so nothing real is lost and every line reads the same on both sides... */
  whereRecordedDecimals: 6,
  /** ...and the screen shows 5 (about 1 m), the precision a dispatcher reads a position back in. */
  whereShownDecimals: 5,
  /** Outrider choice: after gpsd closes or refuses the connection, or the NMEA port cannot be had, the next try
   *  waits this long, doubling... */
  gpsRetryBaseMs: 250,
  /** ...up to this, so a gpsd restarted by systemd, or a port another program let go, is found within about 5 s. */
  gpsRetryCapMs: 5_000,
  /** Outrider choice: a connection to gpsd not made within this long is given up and tried again (gpsd elsewhere on
   *  the car's network can vanish without refusing). */
  gpsdConnectTimeoutMs: 5_000,
  /** Outrider choice: NMEA over UDP takes its fix from RMC (which has the date and the speed); GGA stands in only
   *  when no RMC has come for this long, for a modem set to send GGA alone. */
  nmeaRmcPreferredMs: 3_000,
  /** Outrider choice (issue #23): the query forms come back once the car has stayed at or below the profile's
   *  motionLockMph this long, so a rolling stop at a junction does not flash the forms on and off. */
  motionLockReleaseMs: 3_000,
  /** Outrider choice (issue #23): answers to a backlog (queries queued in a dead zone, answered at link-back) are
   *  held while more are due and summed up in one sentence; a hit is never held longer than this. The alert's
   *  dialog and tone come at once regardless: only the voice waits. */
  speechGatherMs: 4_000,
  /** Outrider choice: a spoken sentence whose voice never says it has ended (some Chromium voices drop the end
   *  event) is taken as ended after this long plus speechMsPerCharacter per character, so the queue goes on. */
  speechEndGraceMs: 3_000,
  /** About twice a voice's time per character at the rate used: the guard never cuts a sentence still being said. */
  speechMsPerCharacter: 150,

  // The officer's session.
  /** CJIS Security Policy 5.5.5 (AC-11, session lock): the screen locks after at most 30 minutes without activity;
   *  the agency profile may set less. */
  lockAfterMinutes: 30,
  /** CJIS Security Policy 5.5.3 (AC-7, unsuccessful logon attempts): 5 wrong passwords at the lock screen erase the
   *  offline verifier, and only a full sign-in will do. */
  unlockAttempts: 5,
  /** CJIS Security Policy 5.5.3 (AC-7): 5 failed sign-ins within 15 minutes lock the account on the switch. */
  lockoutFailures: 5,
  lockoutWindowMs: 15 * 60_000,
  /** CJIS Security Policy 5.5.6 (AC-12, session termination, conditions the agency defines): a sign-in lasts one
   *  12-hour shift, then password and one-time code are asked again. */
  sessionHours: 12,
  /** Outrider choice: other windows hear of activity at most this often, enough to keep them from locking. */
  activityShareMs: 10_000,
  /** CJIS Security Policy 5.6.2.1 (IA-5, protect stored authenticators), with OWASP's 2023 figure for
   *  PBKDF2-HMAC-SHA-256: the offline verifier is slow to guess, about 0.3 s a try. */
  verifierIterations: 600_000,
} as const;
