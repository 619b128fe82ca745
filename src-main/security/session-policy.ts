// Applies the permission allow-list to a session: requests, checks and device access.
import type { Session } from 'electron';
import { isPermissionAllowed } from './permissions.ts';

export function applyPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  // USB, serial and HID devices are never offered to the page.
  session.setDevicePermissionHandler(() => false);
}
