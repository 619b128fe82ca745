// An update never installs over a query still owed an answer or an alert not yet acknowledged.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { UpdateReadiness } from '../../../src-shared/ipc.ts';
import { ok } from '../../../src-shared/result.ts';
import { guardedHandler } from '../../../src-main/ipc/guarded-handler.ts';
import { installDecision } from '../../../src-main/update/update-gate.ts';
import { inAppUpdatesFor, startUpdateChecks, UPDATE_CHECK_INTERVAL_MS, UpdateController, type Updater } from '../../../src-main/update/update-controller.ts';

const ready = { queuedQueries: 0, unacknowledgedAlerts: 0 };

describe('installDecision', () => {
  it('refuses while queries are queued', () => {
    expect(installDecision({ queuedQueries: 2, unacknowledgedAlerts: 0 })).toEqual({ allowed: false, reason: '2 queries are not yet answered' });
  });

  it('refuses while an alert is unacknowledged', () => {
    expect(installDecision({ queuedQueries: 0, unacknowledgedAlerts: 1 })).toEqual({ allowed: false, reason: '1 alert is not acknowledged' });
  });

  it('names both reasons when both hold', () => {
    expect(installDecision({ queuedQueries: 1, unacknowledgedAlerts: 3 })).toEqual({ allowed: false, reason: '1 query is not yet answered and 3 alerts are not acknowledged' });
  });

  it('allows when both are zero', () => {
    expect(installDecision(ready)).toEqual({ allowed: true });
  });

  it('refuses when the renderer has not reported', () => {
    expect(installDecision(undefined)).toMatchObject({ allowed: false, reason: expect.stringMatching(/has not reported/) });
  });
});

/** electron-updater's surface as the controller uses it, with the events under the test's control. */
function fakeUpdater() {
  const listeners = new Map<string, (arg: never) => void>();
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    feed: undefined as { provider: 'generic'; url: string } | undefined,
    checks: 0,
    setFeedURL(options: { provider: 'generic'; url: string }) {
      updater.feed = options;
    },
    checkForUpdates: () => {
      updater.checks++;
      return Promise.resolve(null);
    },
    on(event: string, listener: (arg: never) => void) {
      listeners.set(event, listener);
      return updater;
    },
    emit(event: 'update-downloaded' | 'error', arg: unknown) {
      listeners.get(event)!(arg as never);
    },
  };
  return updater satisfies Updater;
}

const quietLog = { info: () => undefined, warn: () => undefined };

describe('UpdateController', () => {
  it("turns off electron-updater's install on any quit before anything is downloaded", () => {
    const updater = fakeUpdater();
    new UpdateController(updater, quietLog);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.autoDownload).toBe(true);
  });

  it('installs on quit a downloaded update once the queue is empty and every alert acknowledged', () => {
    const updater = fakeUpdater();
    const controller = new UpdateController(updater, quietLog);
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    controller.report(ready);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('holds a downloaded update back again when a query is queued', () => {
    const updater = fakeUpdater();
    const controller = new UpdateController(updater, quietLog);
    controller.report(ready);
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(controller.installsOnQuit).toBe(true);
    controller.report({ queuedQueries: 1, unacknowledgedAlerts: 0 });
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('holds a downloaded update back while a hit is unacknowledged', () => {
    const updater = fakeUpdater();
    const controller = new UpdateController(updater, quietLog);
    updater.emit('update-downloaded', { version: '0.2.0' });
    controller.report({ queuedQueries: 0, unacknowledgedAlerts: 1 });
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it("forgets a crashed page's last report", () => {
    const updater = fakeUpdater();
    const controller = new UpdateController(updater, quietLog);
    updater.emit('update-downloaded', { version: '0.2.0' });
    controller.report(ready);
    controller.forgetReadiness();
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('takes reports without an updater when the profile names no update server', () => {
    const controller = new UpdateController(undefined, quietLog);
    controller.report(ready);
    expect(controller.installsOnQuit).toBe(false);
  });
});

describe('inAppUpdatesFor', () => {
  it('updates Windows and Linux terminals, where install-on-quit is decided at quit', () => {
    expect(inAppUpdatesFor('win32')).toBe(true);
    expect(inAppUpdatesFor('linux')).toBe(true);
  });

  it('leaves macOS to MDM, where Squirrel.Mac would install a staged update whatever the gate says later', () => {
    expect(inAppUpdatesFor('darwin')).toBe(false);
  });
});

describe('startUpdateChecks', () => {
  it("reads the agency's generic feed at once and then on an interval", () => {
    const updater = fakeUpdater();
    const every = vi.fn();
    startUpdateChecks(updater, 'https://updates.agency.example/outrider', quietLog, every);
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://updates.agency.example/outrider' });
    expect(updater.checks).toBe(1);
    expect(every).toHaveBeenCalledWith(UPDATE_CHECK_INTERVAL_MS, expect.any(Function));
    (every.mock.calls[0]![1] as () => void)();
    expect(updater.checks).toBe(2);
  });
});

describe('the readiness channel', () => {
  beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());
  const event = { senderFrame: { url: 'app://outrider/index.html', parent: null } };
  const listener = (report: (r: UpdateReadiness) => void) =>
    guardedHandler('outrider:report-update-readiness', z.tuple([UpdateReadiness]), (readiness) => {
      report(readiness);
      return ok(undefined);
    });

  it.each([
    [{ queuedQueries: -1, unacknowledgedAlerts: 0 }],
    [{ queuedQueries: 0.5, unacknowledgedAlerts: 0 }],
    [{ queuedQueries: 0 }],
    [{ queuedQueries: 0, unacknowledgedAlerts: 0, install: true }],
  ])('refuses a malformed report %j, so a page cannot open the gate with nonsense', async (bad) => {
    const report = vi.fn();
    await expect(listener(report)(event, bad)).resolves.toMatchObject({ ok: false });
    expect(report).not.toHaveBeenCalled();
  });

  it('refuses a report from a page that is not the terminal', async () => {
    const report = vi.fn();
    await expect(listener(report)({ senderFrame: { url: 'https://evil.example/', parent: null } }, ready)).resolves.toMatchObject({ ok: false });
    expect(report).not.toHaveBeenCalled();
  });
});
