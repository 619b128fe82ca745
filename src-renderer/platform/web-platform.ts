// The browser build's platform: configuration from the serving host, alerts through the Notification API,
// position from the browser's geolocation where it is permitted.
import type { GpsStatus } from '../../src-shared/gps.ts';
import { type NotifyRequest, type OutriderBridge, TerminalConfig, type UpdateReadiness } from '../../src-shared/ipc.ts';
import { fail, ok, type Result } from '../../src-shared/result.ts';
import { WebGps } from './web-gps.ts';

async function getConfig(): Promise<Result<TerminalConfig>> {
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    if (!response.ok) return fail(`The terminal host answered ${response.status} for its configuration`);
    const parsed = TerminalConfig.safeParse(await response.json());
    return parsed.success ? ok(parsed.data) : fail(`The terminal configuration is invalid: ${parsed.error.issues[0]!.message}`);
  } catch (error) {
    return fail(`The terminal configuration could not be loaded: ${(error as Error).message}`);
  }
}

async function notify(request: NotifyRequest): Promise<Result<void>> {
  if (typeof Notification === 'undefined') return fail('This browser has no notifications');
  if (Notification.permission === 'default') await Notification.requestPermission();
  if (Notification.permission !== 'granted') return fail('Notifications are not permitted');
  // requireInteraction keeps a hit on screen until the officer dismisses it.
  new Notification(request.title, { body: request.body, requireInteraction: request.severity !== 'information', tag: request.title });
  return ok(undefined);
}

/** A browser has no installer to hold back: updates to the web build come with the next page load. */
async function reportUpdateReadiness(_readiness: UpdateReadiness): Promise<Result<void>> {
  return ok(undefined);
}

/** A browser has no OS keychain to offer: the data key is wrapped by a non-extractable WebCrypto key instead. */
async function protectKey(_raw: string): Promise<Result<string>> {
  return fail('This browser has no key protection of its own');
}
async function unprotectKey(_sealed: string): Promise<Result<string>> {
  return fail('This browser has no key protection of its own');
}

let gps: WebGps | undefined;
/** Made on first use, so loading this module touches no browser API. */
const webGps = () => (gps ??= new WebGps());

async function getGpsStatus(): Promise<Result<GpsStatus>> {
  return ok(webGps().status);
}
function onGpsStatus(listener: (status: GpsStatus) => void): () => void {
  return webGps().subscribe(listener);
}

export const webPlatform = { getConfig, notify, reportUpdateReadiness, protectKey, unprotectKey, getGpsStatus, onGpsStatus } satisfies OutriderBridge;
