// Whether Electron's safeStorage really protects a key here: a pure decision, testable without Electron.

/** Why the keychain cannot be used, or undefined when it can. Linux's plain-text fallback is no protection. */
export function keychainUnavailable(storage: { isEncryptionAvailable(): boolean; getSelectedStorageBackend?: () => string }, platform: NodeJS.Platform): string | undefined {
  if (!storage.isEncryptionAvailable()) return 'The operating system offers no key protection';
  if (platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text') return 'No keyring is running (basic_text would store the key unprotected)';
  return undefined;
}
