// Sandboxed preload: puts the typed platform bridge on window.outrider, and nothing else.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { GpsStatus } from '../src-shared/gps.ts';
import { IPC_CHANNELS, type OutriderBridge } from '../src-shared/ipc-channels.ts';
import type { NotifyRequest, TerminalConfig, UpdateReadiness } from '../src-shared/ipc.ts';
import { fail, type Result } from '../src-shared/result.ts';

/** Invokes one named channel; a missing handler or a broken channel still comes back as a Result. */
async function invoke<T>(channel: string, ...args: unknown[]): Promise<Result<T>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Result<T>;
  } catch (error) {
    return fail(`The terminal host did not answer ${channel}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Each method names its channel: the page can never choose a channel or reach ipcRenderer itself.
const bridge = {
  getConfig: () => invoke<TerminalConfig>(IPC_CHANNELS.getConfig),
  notify: (request: NotifyRequest) => invoke<void>(IPC_CHANNELS.notify, request),
  reportUpdateReadiness: (readiness: UpdateReadiness) => invoke<void>(IPC_CHANNELS.reportUpdateReadiness, readiness),
  protectKey: (raw: string) => invoke<string>(IPC_CHANNELS.protectKey, raw),
  unprotectKey: (sealed: string) => invoke<string>(IPC_CHANNELS.unprotectKey, sealed),
  getGpsStatus: () => invoke<GpsStatus>(IPC_CHANNELS.getGpsStatus),
  onGpsStatus: (listener: (status: GpsStatus) => void) => {
    // The Electron event stays on this side: the page gets the status and nothing else.
    const relay = (_event: IpcRendererEvent, status: GpsStatus) => listener(status);
    ipcRenderer.on(IPC_CHANNELS.gpsStatus, relay);
    return () => void ipcRenderer.removeListener(IPC_CHANNELS.gpsStatus, relay);
  },
} satisfies OutriderBridge;

contextBridge.exposeInMainWorld('outrider', bridge);
