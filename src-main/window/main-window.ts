// The terminal window, with every Electron security setting on and kiosk mode when the agency asks for it.
import { BrowserWindow, Menu } from 'electron';

export interface MainWindowOptions {
  readonly preload: string;
  readonly kiosk: boolean;
  /** Developer tools only in unpackaged runs: an installed terminal holds CJI. */
  readonly devTools: boolean;
}

export function createMainWindow({ preload, kiosk, devTools }: MainWindowOptions): BrowserWindow {
  // A kiosk terminal has no menu: no reload, no zoom, no way out but the OS.
  if (kiosk) Menu.setApplicationMenu(null);
  const win = new BrowserWindow({
    title: 'Outrider',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: kiosk,
    backgroundColor: '#10151c',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise ask for a new window; it is refused anyway, this stops the ask.
      disableBlinkFeatures: 'Auxclick',
      // The spellchecker downloads dictionaries, and plates and names are not words.
      spellcheck: false,
      devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  return win;
}
