// Turns updates on for an installed terminal whose agency profile names an update server, and off otherwise.
import { app } from 'electron';
import { inAppUpdatesFor, startUpdateChecks, type UpdateLog, UpdateController, type Updater } from './update-controller.ts';

// electron-updater's own messages go through the same prefix, so agency IT can grep one word in the log.
const log: UpdateLog & { error(message: unknown): void } = {
  info: (message) => console.log(`[updates] ${message}`),
  warn: (message) => console.warn(`[updates] ${message}`),
  error: (message) => console.error(`[updates] ${message instanceof Error ? message.message : String(message)}`),
};

/** An inert controller when `updateUrl` is unset, on macOS, or when the app runs unpackaged (a development checkout has nothing to update). */
export async function startAppUpdates(updateUrl: string | undefined): Promise<UpdateController> {
  if (!updateUrl || !app.isPackaged) return new UpdateController(undefined, log);
  if (!inAppUpdatesFor(process.platform)) {
    log.warn(`updateUrl is ignored on ${process.platform}: deploy new versions with your device management instead.`);
    return new UpdateController(undefined, log);
  }
  try {
    // Loaded only when used: a terminal without an update server never touches electron-updater.
    const { autoUpdater } = await import('electron-updater');
    autoUpdater.logger = log;
    const updater: Updater = autoUpdater;
    const controller = new UpdateController(updater, log);
    startUpdateChecks(updater, updateUrl, log, (ms, run) => setInterval(run, ms).unref());
    return controller;
  } catch (error) {
    // An updater that cannot start must never keep the terminal from starting.
    log.error(error);
    return new UpdateController(undefined, log);
  }
}
