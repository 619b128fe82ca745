// Wires one terminal together: database, outbox, link watch, sync engine (leader only) and alert notices.
import type { TerminalConfig } from '../src-shared/ipc.ts';
import type { AlertRecord, OutriderDb } from './db/database.ts';
import { onRowsChanged } from './db/table-changes.ts';
import { throttledQuery } from './db/throttled-query.ts';
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import { paths } from '../src-shared/protocol.ts';
import { AlertRaiser } from './alerts/alert-raiser.ts';
import { BoloInbox } from './alerts/bolo-inbox.ts';
import { foldAcknowledgements } from './alerts/alert-center.ts';
import { FreshAlerts } from './alerts/fresh-alerts.svelte.ts';
import { startConfirmations } from './confirm/confirmation-sender.ts';
import { provideConfirmationDb } from './confirm/confirmations.ts';
import { startCheckedAuditUpload } from './audit/audit-status.ts';
import { startOfflineHotlist } from './hotlist/hotlist-sync.ts';
import { startRetention } from './retention/retention.ts';
import { authorizedFetch, type SessionAccess } from './session/authorized-fetch.ts';
import { Outbox } from './outbox/outbox.ts';
import type { Platform } from './platform/platform.ts';
import { Defences } from './status/defences.svelte.ts';
import { reportUpdateReadiness } from './platform/update-readiness.ts';
import { AnswerCollector } from './sync/answer-collector.ts';
import { Connectivity } from './sync/connectivity.svelte.ts';
import { EventStream } from './sync/event-stream.ts';
import { streamCursor } from './sync/identity.ts';
import { SwitchClient } from './sync/switch-client.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { SyncRole } from './sync/sync-role.svelte.ts';

/** One Web Lock per device elects the window that sends; the others only show. */
export const SYNC_LEADER_LOCK = 'outrider-sync-leader';

export interface Terminal {
  config: TerminalConfig;
  db: OutriderDb;
  outbox: Outbox;
  link: Connectivity;
  role: SyncRole;
  /** Alerts this window has just stored, for the alert dialog to show before its live query catches up. */
  fresh: FreshAlerts;
  /** What protects the data key and whether the audit trail reaches the switch, for the status area. */
  defences: Defences;
  /** Sends the queue now: the officer pressed "retry now", so probe the link at once too. */
  retryNow(id?: string): Promise<void>;
  stop(): void;
  /** Stops, then waits for sends already on the wire to settle, so the queue is still when the shift ends. */
  shutdown(): Promise<void>;
}


/** The officer's session as the terminal needs it: the switch token, whether the screen is locked, and link news. */
export interface TerminalSession extends SessionAccess {
  readonly locked: boolean;
  linkBack(): Promise<void>;
}

function notifyAlert(platform: Platform, alert: AlertRecord, locked: boolean): void {
  // The notification names what hit, not on whom: OS notification centres can be seen by others. On a
  // locked terminal it names nothing at all: the lock hides every CJI, the notification centre included.
  const notice = locked
    ? { title: 'Outrider alert waiting', body: 'Unlock Outrider to read it', severity: alert.severity }
    : { title: alert.title, body: alert.cautions.join(', ') || 'Open Outrider to see the hit', severity: alert.severity };
  void platform.notify(notice);
}

/**
 * Starts one terminal for a signed-in officer over the database the session opened (CJI sealed at rest
 * under the terminal's data key), with `identity` this install's id on the switch.
 */
export function startTerminal(config: TerminalConfig, platform: Platform, db: OutriderDb, identity: Promise<string>, session: TerminalSession, defences = new Defences()): Terminal {
  const outbox = new Outbox(db);
  const switchFetch = authorizedFetch(session);
  const client = new SwitchClient(config.switchUrl, () => identity, switchFetch);
  const link = new Connectivity(() => client.probe());
  const fresh = new FreshAlerts();
  // Acknowledgements a closed page stored but did not fold into their alerts (and audit) are folded now.
  void foldAcknowledgements(db).catch((error: unknown) => console.warn('Stored acknowledgements could not be folded in', error));
  // On screen at once, before the live query of pending alerts re-reads the database; then announced.
  const onAlert = (alert: AlertRecord) => {
    fresh.add(alert);
    // The OS notice follows the frame that paints the dialog: asking a browser for the notification permission is a
    // synchronous round trip to its process (11 ms a hit in a profile), and the officer's own screen comes first. A
    // hidden window paints no frame and needs the notice most: it is told at once.
    const notify = () => notifyAlert(platform, alert, session.locked);
    if (document.visibilityState === 'hidden') notify();
    else requestAnimationFrame(() => setTimeout(notify, 0));
  };
  const alerts = new AlertRaiser({ db, show: onAlert, retract: (id) => fresh.forget(id), track: (write) => fresh.storing(write) });
  const engine = new SyncEngine({ outbox, alerts, send: (entry) => client.send(entry, () => outbox.markDelivered(entry.id)), link });
  // Answers to accepted queries arrive part by part on the event stream; a poll covers what it misses.
  const collector = new AnswerCollector({ db, outbox, alerts, bolos: new BoloInbox(db), poll: (key) => client.poll(key), link });
  const stream = new EventStream({
    url: async (lastEventId) =>
      `${client.baseUrl}${paths.events}?terminal=${encodeURIComponent(await identity)}${lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : ''}`,
    cursor: () => streamCursor(db),
    apply: (events) => collector.apply(events),
    link,
    fetch: switchFetch,
  });
  const role = new SyncRole();
  const stops: Array<() => void> = [() => link.stop(), () => engine.stop()];
  // The installed app updates only at a quit with nothing queued and no alert unacknowledged: it needs to know.
  stops.push(reportUpdateReadiness(db, platform));
  // Any window's alert dialog can ask for confirmation of a hit: it writes the request, the leader sends it.
  stops.push(provideConfirmationDb(db));
  // Ask the browser not to evict the queue under storage pressure; a refusal is not fatal.
  void navigator.storage?.persist?.().catch(() => false);

  const lead = async () => {
    role.state = 'leader';
    // A failure here must not stop this window sending: entries left 'sending' are only resent later.
    await engine.recover().catch(() => 0);
    let wasDown = !link.canSend;
    stops.push(
      link.onChange(() => {
        // Back from a dead link: lift the engine's own backoff too, or the queue would wait it out. A session
        // opened offline is renewed alongside; the queue does not wait for it (its token is still good).
        if (wasDown && link.canSend) {
          void session.linkBack();
          engine.linkRestored();
        } else void engine.wake();
        wasDown = !link.canSend;
      }),
    );
    // Only the window that sends listens: one stream per device, one writer of each answer.
    stream.start();
    stops.push(() => stream.stop());
    const polling = setInterval(() => void collector.pollOpen().catch(() => undefined), FIELD_CONFIG.answerPollIntervalMs);
    stops.push(() => clearInterval(polling));
    // A query put in the queue, in this window or another, wakes the engine, which reads for itself: a read
    // here after every commit would only stand in the way of the next query being queued. The engine also
    // checks that nothing queued should go before the entries it has claimed ahead.
    stops.push(
      onRowsChanged(db, 'outbox', 'status', (ids, statuses) => {
        if (statuses === 'all' || statuses.includes('queued')) engine.queueChanged(ids);
      }),
    );
    void engine.wake();
    // Queries waiting make a returning link urgent to find.
    const queued = throttledQuery(db, ['outbox'], () => db.outbox.where('status').equals('queued').count()).subscribe((count) => link.setUrgent(count > 0));
    stops.push(() => queued.unsubscribe());
    // The offline hotlist (possible hits while the link is down) and the YQ desk run where the stream is read.
    stops.push(startOfflineHotlist({ db, baseUrl: client.baseUrl, link, onAlert, fetcher: switchFetch }));
    stops.push(startConfirmations({ db, baseUrl: client.baseUrl, terminal: identity, link, fetcher: switchFetch }));
    // The audit trail goes to the switch, which keeps it; answers older than the agency's limit are purged.
    stops.push(await startCheckedAuditUpload(db, client.baseUrl, link, () => session.token(), defences));
    stops.push(startRetention({ db, hours: () => config.retentionHours ?? FIELD_CONFIG.retentionHours }));
    if (link.canSend) void session.linkBack();
    await new Promise<void>((resolve) => stops.push(resolve));
  };
  const elect = async () => {
    // Try at once so a window knows straight away whether it leads; otherwise wait in line.
    const won = await navigator.locks.request(SYNC_LEADER_LOCK, { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await lead();
      return true;
    });
    if (won) return;
    role.state = 'follower';
    await navigator.locks.request(SYNC_LEADER_LOCK, lead);
  };
  if ('locks' in navigator) void elect();
  else void lead();

  link.start();
  const retryNow = async (id?: string) => {
    if (id) await outbox.retry(id);
    await link.probeNow();
    // Only the elected window sends; elsewhere the change in IndexedDB wakes the leader.
    if (role.state === 'leader') void engine.wake();
  };
  const stop = () => stops.forEach((each) => each());
  const shutdown = async () => {
    stop();
    const deadline = Date.now() + FIELD_CONFIG.requestTimeoutMs;
    while (engine.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, FIELD_CONFIG.shutdownSettlePollMs));
    // A send cut off by the stop was never answered: it is queued again, to be held with the rest.
    await engine.recover().catch(() => 0);
  };
  return { config, db, outbox, link, role, fresh, defences, retryNow, stop, shutdown };
}
