// Registers the bridge's channels with ipcMain, each through the guarded wrapper.
import { type BrowserWindow, ipcMain } from 'electron';
import { z } from 'zod';
import { IPC_CHANNELS, NotifyRequest, type TerminalConfig, UpdateReadiness } from '../../src-shared/ipc.ts';
import type { GpsTracker } from '../../src-shared/gps-tracker.ts';
import { ok } from '../../src-shared/result.ts';
import { notifyOfficer } from '../alerts/notify.ts';
import type { UpdateController } from '../update/update-controller.ts';
import { protectKey, unprotectKey } from '../security/key-protection.ts';
import { guardedHandler } from './guarded-handler.ts';

export function registerIpcHandlers(config: TerminalConfig, mainWindow: () => BrowserWindow | undefined, updates: UpdateController, gps: GpsTracker): void {
  ipcMain.handle(IPC_CHANNELS.getConfig, guardedHandler(IPC_CHANNELS.getConfig, z.tuple([]), () => ok(config)));
  ipcMain.handle(IPC_CHANNELS.getGpsStatus, guardedHandler(IPC_CHANNELS.getGpsStatus, z.tuple([]), () => ok(gps.status)));
  ipcMain.handle(
    IPC_CHANNELS.notify,
    guardedHandler(IPC_CHANNELS.notify, z.tuple([NotifyRequest]), (request) => notifyOfficer(request, mainWindow())),
  );
  // Answered even when updates are off, so the page need not know whether the agency runs an update server.
  ipcMain.handle(
    IPC_CHANNELS.reportUpdateReadiness,
    guardedHandler(IPC_CHANNELS.reportUpdateReadiness, z.tuple([UpdateReadiness]), (readiness) => {
      updates.report(readiness);
      return ok(undefined);
    }),
  );
  // The data key is base64 of 32 bytes: anything else is refused before it reaches the keychain.
  const KeyText = z.string().regex(/^[A-Za-z0-9+/=]{16,4096}$/, { error: 'a key must be base64' });
  ipcMain.handle(IPC_CHANNELS.protectKey, guardedHandler(IPC_CHANNELS.protectKey, z.tuple([KeyText]), (raw) => protectKey(raw)));
  ipcMain.handle(IPC_CHANNELS.unprotectKey, guardedHandler(IPC_CHANNELS.unprotectKey, z.tuple([KeyText]), (sealed) => unprotectKey(sealed)));
}
