// Application updates from the agency's own server: downloaded in the background, installed only on
// quit, and only when the update gate allows it at that moment.
import type { UpdateReadiness } from '../../src-shared/ipc.ts';
import { installDecision } from './update-gate.ts';

/** How often a running terminal asks the agency's server for a new version. Not CJIS-bound: agency load only. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/**
 * Where the gate can be kept. On macOS, electron-updater hands a download to Squirrel.Mac as soon
 * as install-on-quit is on, and Squirrel then installs at the next quit whatever the gate says
 * later; so macOS terminals are updated by the agency's MDM instead.
 */
export function inAppUpdatesFor(platform: NodeJS.Platform): boolean {
  return platform === 'win32' || platform === 'linux';
}

/** The part of electron-updater's AppUpdater this module drives; a fake in tests, `autoUpdater` in the app. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Holds the renderer's last readiness report and keeps electron-updater's install-on-quit switch in
 * step with the gate. Installing on quit, never by restarting the app under the officer: a restart
 * mid-stop would close a form being typed, whatever the queue says.
 */
export class UpdateController {
  #readiness: UpdateReadiness | undefined;
  #downloaded: string | undefined;
  #installOnQuit = false;

  constructor(
    private readonly updater: Updater | undefined,
    private readonly log: UpdateLog,
  ) {
    if (!updater) return;
    updater.autoDownload = true;
    // Off until the gate says otherwise: electron-updater's default would install on any quit.
    updater.autoInstallOnAppQuit = false;
    updater.on('update-downloaded', (info) => {
      this.#downloaded = info.version;
      log.info(`Update ${info.version} downloaded; it installs when Outrider quits with no query pending and no alert open.`);
      this.#apply();
    });
    // A failed check or download is retried at the next interval; the terminal keeps working meanwhile.
    updater.on('error', (error) => log.warn(`Update check failed: ${error.message}`));
  }

  /** Whether electron-updater would install the downloaded update if the app quit now. */
  get installsOnQuit(): boolean {
    return this.#installOnQuit;
  }

  report(readiness: UpdateReadiness): void {
    this.#readiness = readiness;
    this.#apply();
  }

  /** The renderer is gone (crashed or reloading): what it last said may no longer be true. */
  forgetReadiness(): void {
    this.#readiness = undefined;
    this.#apply();
  }

  #apply(): void {
    if (!this.updater) return;
    const decision = installDecision(this.#readiness);
    const installOnQuit = this.#downloaded !== undefined && decision.allowed;
    if (this.#downloaded !== undefined && installOnQuit !== this.#installOnQuit) {
      this.log.info(decision.allowed ? `Update ${this.#downloaded} will install when Outrider quits.` : `Update ${this.#downloaded} held back: ${decision.reason}.`);
    }
    this.#installOnQuit = installOnQuit;
    this.updater.autoInstallOnAppQuit = installOnQuit;
  }
}

/** Points `updater` at the agency's update folder (a generic electron-builder feed) and checks now and every interval. */
export function startUpdateChecks(updater: Updater, updateUrl: string, log: UpdateLog, every: (ms: number, run: () => void) => void): void {
  updater.setFeedURL({ provider: 'generic', url: updateUrl });
  const check = () => void updater.checkForUpdates().catch((error: unknown) => log.warn(`Update check failed: ${error instanceof Error ? error.message : String(error)}`));
  check();
  every(UPDATE_CHECK_INTERVAL_MS, check);
}
