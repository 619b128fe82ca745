// IPC channel names and the bridge API, free of schemas so the sandboxed preload bundles to a few KB.
import type { GpsStatus } from './gps.ts';
import type { NotifyRequest, TerminalConfig, UpdateReadiness } from './ipc.ts';
import type { Result } from './result.ts';

/** IPC channel names, prefixed so the main side can reject anything else. */
export const IPC_CHANNELS = {
  getConfig: 'outrider:get-config',
  notify: 'outrider:notify',
  reportUpdateReadiness: 'outrider:report-update-readiness',
  protectKey: 'outrider:protect-key',
  unprotectKey: 'outrider:unprotect-key',
  getGpsStatus: 'outrider:get-gps-status',
  /** Main to renderer: the GPS state, sent on every change. */
  gpsStatus: 'outrider:gps-status',
} as const;

/** The API the preload puts on `window.outrider`; the preload object is checked against it with `satisfies`. */
export interface OutriderBridge {
  getConfig(): Promise<Result<TerminalConfig>>;
  notify(request: NotifyRequest): Promise<Result<void>>;
  /** Tells the host what is still queued or unacknowledged; the host installs no update until both are zero. */
  reportUpdateReadiness(readiness: UpdateReadiness): Promise<Result<void>>;
  /** Wraps the terminal's data key with the OS keychain (base64 in, base64 out); fails where there is none. */
  protectKey(raw: string): Promise<Result<string>>;
  unprotectKey(sealed: string): Promise<Result<string>>;
  /** The car's GPS state now: the last fix, and whether it is current, stale, lost or not configured. */
  getGpsStatus(): Promise<Result<GpsStatus>>;
  /** Calls `listener` with every change of the GPS state (about once a second while fixes come); returns the unsubscribe. */
  onGpsStatus(listener: (status: GpsStatus) => void): () => void;
}
