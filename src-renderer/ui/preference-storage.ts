// Where a window keeps its display and voice preferences: localStorage (a preference, not CJI, needs no sealing).

/** What a preference needs of storage. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The page's localStorage, or none where the browser refuses it (a sandboxed or storage-disabled profile). */
export function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
