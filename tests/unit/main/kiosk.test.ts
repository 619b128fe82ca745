// A kiosk terminal comes back full screen and in front after display sleep, a lock screen or a monitor change.
import { describe, expect, it } from 'vitest';
import { kioskRepair, type KioskWindowState, powerBlockFor } from '../../../src-main/window/kiosk.ts';

const healthy: KioskWindowState = { destroyed: false, kiosk: true, minimized: false, visible: true, fillsDisplay: true };

describe('kioskRepair', () => {
  it('leaves a healthy kiosk window alone', () => {
    expect(kioskRepair(healthy)).toEqual({ restore: false, show: false, reenterKiosk: false });
  });

  it('restores a window the OS minimised while the display slept', () => {
    expect(kioskRepair({ ...healthy, minimized: true })).toMatchObject({ restore: true });
  });

  it('re-enters kiosk mode when the window dropped out of it', () => {
    expect(kioskRepair({ ...healthy, kiosk: false })).toMatchObject({ reenterKiosk: true });
  });

  it('refits the window when a monitor change left it at the old size', () => {
    expect(kioskRepair({ ...healthy, fillsDisplay: false })).toMatchObject({ reenterKiosk: true });
  });

  it('shows a hidden window', () => {
    expect(kioskRepair({ ...healthy, visible: false })).toMatchObject({ show: true });
  });

  it('does nothing to a window that is gone', () => {
    expect(kioskRepair({ destroyed: true, kiosk: false, minimized: true, visible: false, fillsDisplay: false })).toEqual({ restore: false, show: false, reenterKiosk: false });
  });
});

describe('powerBlockFor', () => {
  it('keeps the display awake for a kiosk, so an alert is never behind a dark screen', () => {
    expect(powerBlockFor(true)).toBe('prevent-display-sleep');
  });

  it('leaves power to the OS for a windowed terminal', () => {
    expect(powerBlockFor(false)).toBeUndefined();
  });
});
