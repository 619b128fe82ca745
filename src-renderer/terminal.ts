// Wires one terminal together: database, outbox, link watch, sync engine (leader only) and alert notices.
import type { TerminalConfig } from '../src-shared/ipc.ts';
import { liveQuery } from 'dexie';
import type { AlertRecord } from './db/database.ts';
import { openDatabase, type OutriderDb } from './db/database.ts';
import { Outbox } from './outbox/outbox.ts';
import type { Platform } from './platform/platform.ts';
import { Connectivity } from './sync/connectivity.svelte.ts';
import { SwitchClient } from './sync/switch-client.ts';
import { SyncEngine } from './sync/sync-engine.ts';

/** One Web Lock per device elects the window that sends; the others only show. */
export const SYNC_LEADER_LOCK = 'outrider-sync-leader';

export interface Terminal {
  config: TerminalConfig;
  db: OutriderDb;
  outbox: Outbox;
  link: Connectivity;
  stop(): void;
}

function notifyAlert(platform: Platform, alert: AlertRecord): void {
  // The notification names what hit, not on whom: OS notification centres can be seen by others.
  void platform.notify({ title: `${alert.title}`, body: alert.cautions.join(', ') || 'Open Outrider to see the hit', severity: alert.severity });
}

export function startTerminal(config: TerminalConfig, platform: Platform): Terminal {
  const db = openDatabase();
  const outbox = new Outbox(db);
  const client = new SwitchClient(config.switchUrl);
  const link = new Connectivity(() => client.probe());
  const engine = new SyncEngine({ outbox, send: (entry) => client.send(entry), link, onAlert: (alert) => notifyAlert(platform, alert) });
  const stops: Array<() => void> = [() => link.stop(), () => engine.stop()];

  const lead = async () => {
    await outbox.recoverInterrupted();
    stops.push(link.onChange(() => void engine.wake()));
    // Any change to what is queued, in this window or another, wakes the engine.
    const queued = liveQuery(() => db.outbox.where('status').equals('queued').count()).subscribe(() => void engine.wake());
    stops.push(() => queued.unsubscribe());
    await new Promise<void>((resolve) => stops.push(resolve));
  };
  if ('locks' in navigator) void navigator.locks.request(SYNC_LEADER_LOCK, lead);
  else void lead();

  link.start();
  return { config, db, outbox, link, stop: () => stops.forEach((stop) => stop()) };
}
