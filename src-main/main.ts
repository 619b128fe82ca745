// Electron main process: one instance, the app:// scheme, the agency profile or the drill switch, then the window.
import { app, type BrowserWindow, powerMonitor, powerSaveBlocker, screen, session } from 'electron';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TerminalConfig } from '../src-shared/ipc.ts';
import { APP_ID } from './app-identity.ts';
import { type DrillSwitch, startDrillSwitch } from './drill/drill-switch.ts';
import { pushGpsStatus } from './gps/gps-push.ts';
import { type GpsService, startGps } from './gps/start-gps.ts';
import { registerIpcHandlers } from './ipc/register-handlers.ts';
import { loadProfile, type ProfileLoad, profileLocation } from './profile/load-profile.ts';
import { registerAppScheme, serveRenderer } from './protocol/app-protocol.ts';
import { contentSecurityPolicy } from '../src-shared/content-security-policy.ts';
import { pinSwitchCertificate } from './security/pin-switch-ca.ts';
import { applyPermissionPolicy } from './security/session-policy.ts';
import { switchPin } from './security/switch-certificate.ts';
import { APP_ENTRY_URL } from './security/trusted-origin.ts';
import { drillSwitchFailedPage, invalidProfilePage, startFailedPage } from './startup-pages.ts';
import { reloadAfterCrash } from './window/crash-recovery.ts';
import { errorPageUrl } from './window/error-page.ts';
import { startAppUpdates } from './update/app-updates.ts';
import { hardenWebContents } from './window/harden.ts';
import { holdKiosk } from './window/kiosk.ts';
import { createMainWindow } from './window/main-window.ts';

let mainWindow: BrowserWindow | undefined;
let drillSwitch: DrillSwitch | undefined;
let gps: GpsService | undefined;

// Both must happen before ready: scheme privileges and the sandbox are fixed when Chromium starts.
registerAppScheme();
app.enableSandbox();
// Windows-only API (absent elsewhere); toast notifications need the installer's AppUserModelID.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

async function terminalConfig(load: Exclude<ProfileLoad, { kind: 'invalid' }>, appDir: string): Promise<TerminalConfig> {
  const common = { appVersion: app.getVersion(), shell: 'electron' as const };
  if (load.kind === 'agency') {
    return TerminalConfig.parse({ ...common, mode: 'agency', switchUrl: load.profile.switchUrl, ori: load.profile.ori, unit: load.profile.unit, retentionHours: load.profile.retentionHours, lockAfterMinutes: load.profile.inactivityLockMinutes, motionLockMph: load.profile.motionLockMph, speech: load.profile.speech });
  }
  // The drill switch keeps its session key and the audit it was sent in the app's own data folder.
  drillSwitch = await startDrillSwitch(path.join(appDir, 'dist', 'switch', 'switch.cjs'), path.join(app.getPath('userData'), 'drill-switch'));
  return TerminalConfig.parse({ ...common, mode: 'drill', switchUrl: drillSwitch.url });
}

async function start(): Promise<void> {
  applyPermissionPolicy(session.defaultSession);
  const appDir = app.getAppPath();
  const load = loadProfile(profileLocation(process.platform, process.env), (file) => readFileSync(file, 'utf8'));
  const kiosk = load.kind === 'agency' && load.profile.kiosk;
  const win = createMainWindow({ preload: path.join(appDir, 'dist', 'main', 'preload.cjs'), kiosk, devTools: !app.isPackaged });
  mainWindow = win;
  win.on('closed', () => (mainWindow = undefined));
  if (kiosk) holdKiosk(win, { powerMonitor, powerSaveBlocker, screen });
  if (load.kind === 'invalid') {
    await win.loadURL(errorPageUrl(invalidProfilePage(load.path, load.problems)));
    return;
  }
  let config: TerminalConfig;
  try {
    config = await terminalConfig(load, appDir);
  } catch (error) {
    const page = load.kind === 'drill' ? drillSwitchFailedPage(error, load.path) : startFailedPage(error);
    await win.loadURL(errorPageUrl(page));
    return;
  }
  if (load.kind === 'agency' && load.profile.caCertificate) {
    // Before the page loads, so the first connection to the switch is already held to the agency CA.
    pinSwitchCertificate(session.defaultSession, switchPin(load.profile.switchUrl, load.profile.caCertificate));
  }
  const updates = await startAppUpdates(load.kind === 'agency' ? load.profile.updateUrl : undefined);
  serveRenderer(path.join(appDir, 'dist', 'renderer'), contentSecurityPolicy(config.switchUrl));
  // Drill mode has no profile, so no GPS source: the status bar says GPS is off.
  gps = startGps(load.kind === 'agency' ? load.profile.gps : undefined);
  pushGpsStatus(gps.tracker, () => mainWindow);
  registerIpcHandlers(config, () => mainWindow, updates, gps.tracker);
  // A crashed page's last report may no longer be true: hold updates until the reloaded page reports again.
  win.webContents.on('render-process-gone', () => updates.forgetReadiness());
  reloadAfterCrash(win);
  await win.loadURL(APP_ENTRY_URL);
}

if (!app.requestSingleInstanceLock()) {
  // Two terminals on one profile would fight over the outbox: the second start only raises the first.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    drillSwitch?.stop();
    void gps?.close();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('Outrider could not start', error);
    // Never a blank window: say what failed if there is a window to say it in.
    if (mainWindow && !mainWindow.isDestroyed()) void mainWindow.loadURL(errorPageUrl(startFailedPage(error)));
    else app.exit(1);
  });
}
