// Registers the bridge's channels with ipcMain, each through the guarded wrapper.
import { type BrowserWindow, ipcMain } from 'electron';
import { z } from 'zod';
import { IPC_CHANNELS, NotifyRequest, type TerminalConfig } from '../../src-shared/ipc.ts';
import { ok } from '../../src-shared/result.ts';
import { notifyOfficer } from '../alerts/notify.ts';
import { guardedHandler } from './guarded-handler.ts';

export function registerIpcHandlers(config: TerminalConfig, mainWindow: () => BrowserWindow | undefined): void {
  ipcMain.handle(IPC_CHANNELS.getConfig, guardedHandler(IPC_CHANNELS.getConfig, z.tuple([]), () => ok(config)));
  ipcMain.handle(
    IPC_CHANNELS.notify,
    guardedHandler(IPC_CHANNELS.notify, z.tuple([NotifyRequest]), (request) => notifyOfficer(request, mainWindow())),
  );
}
