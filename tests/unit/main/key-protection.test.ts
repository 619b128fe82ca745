// The keychain wraps the data key only where it really protects it: never Linux's plain-text fallback.
import { describe, expect, it } from 'vitest';
import { keychainUnavailable } from '../../../src-main/security/keychain-check.ts';

describe('the keychain check', () => {
  it('accepts DPAPI, the macOS Keychain and a running Linux keyring', () => {
    expect(keychainUnavailable({ isEncryptionAvailable: () => true }, 'win32')).toBeUndefined();
    expect(keychainUnavailable({ isEncryptionAvailable: () => true }, 'darwin')).toBeUndefined();
    expect(keychainUnavailable({ isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'gnome_libsecret' }, 'linux')).toBeUndefined();
  });

  it('refuses when there is no encryption, or only basic_text on Linux, saying why', () => {
    expect(keychainUnavailable({ isEncryptionAvailable: () => false }, 'win32')).toBe('The operating system offers no key protection');
    expect(keychainUnavailable({ isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'basic_text' }, 'linux')).toMatch(/No keyring is running/);
  });
});
