// The GPS state goes to the terminal's own page on every change, and nowhere else: a position says where an officer is.
import { describe, expect, it } from 'vitest';
import { type PushTarget, pushGpsStatus } from '../../../../src-main/gps/gps-push.ts';
import { GpsTracker } from '../../../../src-shared/gps-tracker.ts';
import { IPC_CHANNELS } from '../../../../src-shared/ipc-channels.ts';

const FIX = { lat: 38.58, lon: -121.49, speedMps: 15.64, fixTime: 1_710_477_010_000, receivedAt: 1_710_477_010_300, source: 'gpsd' as const };

function window(url: string, destroyed = false) {
  const sent: unknown[][] = [];
  const target: PushTarget = { isDestroyed: () => destroyed, webContents: { getURL: () => url, send: (...args) => void sent.push(args) } };
  return { target, sent };
}

describe('pushGpsStatus', () => {
  it('sends each change to the app page on the GPS channel', () => {
    const tracker = new GpsTracker('gpsd');
    const { target, sent } = window('app://outrider/index.html');
    pushGpsStatus(tracker, () => target);
    tracker.report({ kind: 'fix', fix: FIX });
    tracker.report({ kind: 'no-fix' });
    expect(sent).toEqual([
      [IPC_CHANNELS.gpsStatus, { state: 'fix', source: 'gpsd', lastFix: FIX }],
      [IPC_CHANNELS.gpsStatus, { state: 'no-fix', source: 'gpsd', lastFix: FIX }],
    ]);
    tracker.dispose();
  });

  it.each(['https://evil.example/', 'app://outrider.evil/index.html', 'about:blank', 'data:text/html,error'])('sends nothing to a window showing %s', (url) => {
    const tracker = new GpsTracker('gpsd');
    const { target, sent } = window(url);
    pushGpsStatus(tracker, () => target);
    tracker.report({ kind: 'fix', fix: FIX });
    expect(sent).toEqual([]);
    tracker.dispose();
  });

  it('sends nothing once the window is gone or destroyed, and stops when unsubscribed', () => {
    const tracker = new GpsTracker('gpsd');
    const { target, sent } = window('app://outrider/index.html', true);
    pushGpsStatus(tracker, () => undefined);
    pushGpsStatus(tracker, () => target);
    tracker.report({ kind: 'fix', fix: FIX });
    const live = window('app://outrider/index.html');
    const stop = pushGpsStatus(tracker, () => live.target);
    stop();
    tracker.report({ kind: 'no-fix' });
    expect([...sent, ...live.sent]).toEqual([]);
    tracker.dispose();
  });
});
