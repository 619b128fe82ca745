// Reloads the terminal page if its renderer dies, and shows an error page instead of looping on a crash.
import type { BrowserWindow } from 'electron';
import { rendererCrashedPage } from '../startup-pages.ts';
import { errorPageUrl } from './error-page.ts';

/** A second crash within this long means reloading will not help. */
const CRASH_LOOP_WINDOW_MS = 60_000;

export function reloadAfterCrash(win: BrowserWindow): void {
  let lastCrash = Number.NEGATIVE_INFINITY;
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const now = Date.now();
    const looping = now - lastCrash < CRASH_LOOP_WINDOW_MS;
    lastCrash = now;
    // The outbox is in IndexedDB, so a reload loses nothing that was queued.
    if (looping) void win.loadURL(errorPageUrl(rendererCrashedPage(details.reason)));
    else win.reload();
  });
}
