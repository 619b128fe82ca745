// Sends every change of the GPS state to the terminal's page, and to nothing else: a position says where an officer is.
import { GpsStatus } from '../../src-shared/gps.ts';
import { IPC_CHANNELS } from '../../src-shared/ipc-channels.ts';
import type { GpsTracker } from '../../src-shared/gps-tracker.ts';
import { isAppUrl } from '../security/trusted-origin.ts';

/** The parts of Electron's BrowserWindow the push uses. */
export interface PushTarget {
  isDestroyed(): boolean;
  readonly webContents: { getURL(): string; send(channel: string, ...args: unknown[]): void };
}

/** Pushes each new status to the window while it shows the app's own page; returns the unsubscribe. */
export function pushGpsStatus(tracker: GpsTracker, target: () => PushTarget | undefined): () => void {
  return tracker.subscribe((status) => {
    const window = target();
    if (!window || window.isDestroyed() || !isAppUrl(window.webContents.getURL())) return;
    // The contract is checked on the way out as on the way in (the page parses it again); a status that fails is a bug, not news.
    const checked = GpsStatus.safeParse(status);
    if (checked.success) window.webContents.send(IPC_CHANNELS.gpsStatus, checked.data);
    else console.error('A GPS status failed its own schema and was not sent', checked.error.issues[0]);
  });
}
