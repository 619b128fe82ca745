// Every IPC call is checked for its sender and arguments, and always answers with a Result.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NotifyRequest } from '../../../src-shared/ipc.ts';
import { ok } from '../../../src-shared/result.ts';
import { guardedHandler, type InvokeEvent } from '../../../src-main/ipc/guarded-handler.ts';
import { untrustedSenderReason } from '../../../src-main/ipc/validate-sender.ts';

const topFrame = (url: string) => ({ url, parent: null });
const eventFrom = (url: string): InvokeEvent => ({ senderFrame: topFrame(url) });
const APP_PAGE = 'app://outrider/index.html';
const request: NotifyRequest = { title: 'HIT: STOLEN VEHICLE', body: 'Plate 4TRN123 (CA)', severity: 'hit' };

describe('untrustedSenderReason', () => {
  it("trusts the app's own top-level page", () => {
    expect(untrustedSenderReason(topFrame(APP_PAGE))).toBeUndefined();
  });

  it('refuses a sub-frame even on the app origin', () => {
    expect(untrustedSenderReason({ url: APP_PAGE, parent: topFrame(APP_PAGE) })).toMatch(/top-level/);
  });

  it.each(['https://example.com/', 'data:text/html,<p>error</p>', 'app://outrider.evil/', 'file:///index.html', 'about:blank'])(
    'refuses a page at %s',
    (url) => {
      expect(untrustedSenderReason(topFrame(url))).toMatch(/own page/);
    },
  );

  it('refuses a frame that is gone', () => {
    expect(untrustedSenderReason(null)).toMatch(/gone/);
  });
});

describe('guardedHandler', () => {
  // The wrapper logs refusals and failures for the operator; keep test output clean.
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  const notify = () => guardedHandler('outrider:notify', z.tuple([NotifyRequest]), vi.fn((req: NotifyRequest) => ok(req.title)));

  it('passes parsed arguments, and only them, to the handler', async () => {
    const handler = vi.fn((req: NotifyRequest) => ok(req.title));
    const listener = guardedHandler('outrider:notify', z.tuple([NotifyRequest]), handler);
    await expect(listener(eventFrom(APP_PAGE), request)).resolves.toEqual({ ok: true, value: request.title });
    expect(handler).toHaveBeenCalledWith(request);
    // The Electron event never reaches the handler, so it can never be handed to the renderer.
    expect(handler.mock.calls[0]).toHaveLength(1);
  });

  it('refuses a foreign sender without running the handler', async () => {
    const handler = vi.fn(() => ok('ran'));
    const listener = guardedHandler('outrider:get-config', z.tuple([]), handler);
    const result = await listener(eventFrom('https://evil.example/'));
    expect(result.ok).toBe(false);
    expect(handler).not.toHaveBeenCalled();
  });

  it('names the argument that failed to parse', async () => {
    const result = await notify()(eventFrom(APP_PAGE), { ...request, severity: 'panic' });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/outrider:notify \(0\.severity\)/);
  });

  it('refuses extra arguments', async () => {
    const result = await guardedHandler('outrider:get-config', z.tuple([]), () => ok(1))(eventFrom(APP_PAGE), 'extra');
    expect(result.ok).toBe(false);
  });

  it('turns a throwing handler into a failed Result', async () => {
    const listener = guardedHandler('outrider:get-config', z.tuple([]), () => {
      throw new Error('disk on fire');
    });
    await expect(listener(eventFrom(APP_PAGE))).resolves.toEqual({ ok: false, error: 'outrider:get-config failed: disk on fire' });
  });

  it('turns a disposed frame into a failed Result', async () => {
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    const result = await guardedHandler('outrider:get-config', z.tuple([]), () => ok(1))(disposed);
    expect(result.ok).toBe(false);
  });
});
