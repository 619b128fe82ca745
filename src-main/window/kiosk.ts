// Keeps a kiosk terminal in front and full screen: display sleep, a lock screen or a monitor change must not leave it minimised or windowed.
import type { BrowserWindow, PowerMonitor, PowerSaveBlocker, Screen } from 'electron';

/** What the window looks like now; read from a BrowserWindow, or made up in tests. */
export interface KioskWindowState {
  readonly destroyed: boolean;
  readonly kiosk: boolean;
  readonly minimized: boolean;
  readonly visible: boolean;
  /** Whether the window covers the whole display it is on; false after a monitor change left it at the old size. */
  readonly fillsDisplay: boolean;
}

export interface KioskRepair {
  readonly restore: boolean;
  readonly show: boolean;
  readonly reenterKiosk: boolean;
}

const NOTHING: KioskRepair = { restore: false, show: false, reenterKiosk: false };

/** What to do to put a kiosk window back as it should be; nothing for a window that is fine or gone. */
export function kioskRepair(state: KioskWindowState): KioskRepair {
  if (state.destroyed) return NOTHING;
  return { restore: state.minimized, show: !state.visible, reenterKiosk: !state.kiosk || !state.fillsDisplay };
}

/**
 * A kiosk keeps the display awake: an alert that arrives behind a sleeping screen is an alert missed.
 * A windowed terminal leaves power to the OS and the officer.
 */
export function powerBlockFor(kiosk: boolean): 'prevent-display-sleep' | undefined {
  return kiosk ? 'prevent-display-sleep' : undefined;
}

function stateOf(win: BrowserWindow, screen: Screen): KioskWindowState {
  if (win.isDestroyed()) return { destroyed: true, kiosk: false, minimized: false, visible: false, fillsDisplay: false };
  const bounds = win.getBounds();
  const display = screen.getDisplayMatching(bounds).bounds;
  const fillsDisplay = bounds.x === display.x && bounds.y === display.y && bounds.width === display.width && bounds.height === display.height;
  return { destroyed: false, kiosk: win.isKiosk(), minimized: win.isMinimized(), visible: win.isVisible(), fillsDisplay };
}

function repair(win: BrowserWindow, screen: Screen): void {
  const needed = kioskRepair(stateOf(win, screen));
  if (needed.restore) win.restore();
  if (needed.reenterKiosk) {
    // Leaving and re-entering makes the OS fit the window to the display it is on now.
    if (win.isKiosk()) win.setKiosk(false);
    win.setKiosk(true);
  }
  if (needed.show) win.show();
}

export interface KioskHost {
  readonly powerMonitor: PowerMonitor;
  readonly powerSaveBlocker: PowerSaveBlocker;
  readonly screen: Screen;
}

/** Holds `win` in kiosk mode until it closes. Call only for a kiosk window. */
export function holdKiosk(win: BrowserWindow, { powerMonitor, powerSaveBlocker, screen }: KioskHost): void {
  const block = powerBlockFor(true);
  const blocker = block ? powerSaveBlocker.start(block) : undefined;
  const onChange = () => repair(win, screen);
  const sources = [
    [powerMonitor, ['resume', 'unlock-screen', 'user-did-become-active']],
    [screen, ['display-added', 'display-removed', 'display-metrics-changed']],
  ] as const;
  for (const [source, events] of sources) for (const event of events) (source as NodeJS.EventEmitter).on(event, onChange);
  win.on('minimize', onChange);
  win.on('leave-full-screen', onChange);
  win.once('closed', () => {
    if (blocker !== undefined && powerSaveBlocker.isStarted(blocker)) powerSaveBlocker.stop(blocker);
    for (const [source, events] of sources) for (const event of events) (source as NodeJS.EventEmitter).off(event, onChange);
  });
}
