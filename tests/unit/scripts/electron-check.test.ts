// What keeps `npm start` from launching Electron, named in words it can print in one line.
import { describe, expect, it } from 'vitest';
import { checkElectron, electronBlocker } from '../../../scripts/electron-check.ts';

const BINARY = '/opt/electron/electron';
const DESKTOP = { DISPLAY: ':0' };

describe('electronBlocker', () => {
  it('lets Electron run with a binary and a display', () => {
    expect(electronBlocker({ env: DESKTOP, platform: 'linux', executable: BINARY })).toBeUndefined();
    expect(electronBlocker({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', executable: BINARY })).toBeUndefined();
  });

  it('stops at a missing binary and says how to fetch it', () => {
    expect(electronBlocker({ env: DESKTOP, platform: 'linux', executable: undefined })).toMatch(/binary is not installed.*npx install-electron/);
  });

  it('stops on Linux with neither DISPLAY nor WAYLAND_DISPLAY', () => {
    expect(electronBlocker({ env: {}, platform: 'linux', executable: BINARY })).toMatch(/no display.*DISPLAY.*WAYLAND_DISPLAY/);
  });

  it('needs no DISPLAY on Windows or macOS', () => {
    expect(electronBlocker({ env: {}, platform: 'win32', executable: BINARY })).toBeUndefined();
    expect(electronBlocker({ env: {}, platform: 'darwin', executable: BINARY })).toBeUndefined();
  });

  it('stops when OUTRIDER_NO_ELECTRON asks for the browser, whatever else holds', () => {
    expect(electronBlocker({ env: { ...DESKTOP, OUTRIDER_NO_ELECTRON: '1' }, platform: 'linux', executable: BINARY })).toBe('OUTRIDER_NO_ELECTRON is set');
  });

  it('gives each reason as one line', () => {
    const reasons = [
      electronBlocker({ env: DESKTOP, platform: 'linux', executable: undefined }),
      electronBlocker({ env: {}, platform: 'linux', executable: BINARY }),
      electronBlocker({ env: { OUTRIDER_NO_ELECTRON: '1' }, platform: 'linux', executable: BINARY }),
    ];
    for (const reason of reasons) expect(reason).toMatch(/^[^\n]+$/);
  });
});

describe('checkElectron', () => {
  it('refuses with the reason on this host when OUTRIDER_NO_ELECTRON is set', () => {
    expect(checkElectron({ ...DESKTOP, OUTRIDER_NO_ELECTRON: '1' }, 'linux')).toEqual({ ok: false, reason: 'OUTRIDER_NO_ELECTRON is set' });
  });

  it('finds no binary where the Electron package points at a folder without one', () => {
    expect(checkElectron({ ...DESKTOP, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron-dist' }, 'linux')).toMatchObject({ ok: false, reason: expect.stringMatching(/not installed/) });
  });
});
