// Alerts outside the page: an OS notification, a flashing taskbar entry, and the window raised for hits.
import { app, type BrowserWindow, Notification } from 'electron';
import type { NotifyRequest } from '../../src-shared/ipc.ts';
import { fail, ok, type Result } from '../../src-shared/result.ts';
import { attentionFor } from './attention.ts';

// Electron drops a notification's click handler once the object is garbage-collected: hold each until closed.
const shown = new Set<Notification>();

function raise(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function flash(win: BrowserWindow): void {
  if (win.isFocused()) return;
  win.flashFrame(true);
  win.once('focus', () => win.flashFrame(false));
}

export function notifyOfficer(request: NotifyRequest, win: BrowserWindow | undefined): Result<void> {
  const attention = attentionFor(request.severity);
  if (win && !win.isDestroyed()) {
    flash(win);
    if (attention.raise) raise(win);
  }
  if (attention.persistent) app.dock?.bounce('critical');
  if (!Notification.isSupported()) return fail('This system cannot show notifications; the window was flashed instead');
  const notification = new Notification({
    title: request.title,
    body: request.body,
    urgency: attention.persistent ? 'critical' : 'normal',
    timeoutType: attention.persistent ? 'never' : 'default',
  });
  shown.add(notification);
  notification.once('close', () => shown.delete(notification));
  notification.on('click', () => {
    if (win && !win.isDestroyed()) raise(win);
  });
  notification.show();
  return ok(undefined);
}
