// Wraps the renderer's data key with the OS keychain (Electron safeStorage): DPAPI, Keychain, or libsecret/kwallet.
import { safeStorage } from 'electron';
import { fail, ok, type Result } from '../../src-shared/result.ts';
import { keychainUnavailable } from './keychain-check.ts';

export function protectKey(raw: string): Result<string> {
  const refused = keychainUnavailable(safeStorage, process.platform);
  if (refused) return fail(refused);
  return ok(safeStorage.encryptString(raw).toString('base64'));
}

export function unprotectKey(sealed: string): Result<string> {
  const refused = keychainUnavailable(safeStorage, process.platform);
  if (refused) return fail(refused);
  return ok(safeStorage.decryptString(Buffer.from(sealed, 'base64')));
}
