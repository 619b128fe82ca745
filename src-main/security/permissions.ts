// The one allow-list of web permissions: the terminal's own page gets these, everything else is refused.
import { isAppUrl } from './trusted-origin.ts';

const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  // Alerts may use the HTML Notification API as well as the bridge.
  'notifications',
  // Chromium's Local Network Access asks before a page reaches loopback or LAN addresses: the drill
  // switch is on 127.0.0.1 and an agency switch is often on the agency LAN. CSP connect-src still
  // limits the page to the one switch origin.
  'loopback-network',
  'local-network',
  'local-network-access',
]);

/** Whether `permission` may be granted to a page at `requestingUrl` (a URL or an origin). */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
