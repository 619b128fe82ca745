// The crash soak's Chromium says when it deletes a profile's IndexedDB as corrupt: the lines it must catch are
// the ones Chromium 156 printed when it did so after a kill (December 7, 2026), and nothing else it prints.
import { describe, expect, it } from 'vitest';
import { storageCorruptionIn } from '../../support/killable-chromium.ts';

describe("the killable Chromium's storage log", () => {
  it('catches the lines Chromium prints as it deletes a corrupt IndexedDB store, without their prefix', () => {
    const found = '[18675:18701:1207/222208.242952:ERROR:content/browser/indexed_db/instance/leveldb/backing_store.cc:1642] Got corruption for { origin: http://127.0.0.1:45109, top-level site: http://127.0.0.1, nonce: <null>, ancestor chain bit: Same-Site }, Unknown corruption';
    const deleted = '[18675:18701:1207/222208.260917:ERROR:content/browser/indexed_db/instance/leveldb/backing_store.cc:1502] IndexedDB recovering from a corrupted (and deleted) database.';
    expect(storageCorruptionIn(found)).toBe('Got corruption for { origin: http://127.0.0.1:45109, top-level site: http://127.0.0.1, nonce: <null>, ancestor chain bit: Same-Site }, Unknown corruption');
    expect(storageCorruptionIn(deleted)).toBe('IndexedDB recovering from a corrupted (and deleted) database.');
  });

  it('passes over everything else it logs', () => {
    for (const line of [
      '[17199:17199:1207/222113.208521:WARNING:ui/base/idle/idle_linux.cc:111] None of the known D-Bus ScreenSaver services could be used.',
      '[17360:17425:1207/222130.087373:WARNING:cc/paint/skottie_wrapper_impl.cc:133] Encountered unknown property node with hash: 559079338',
      'DevTools listening on ws://127.0.0.1:41235/devtools/browser/5a0c',
    ])
      expect(storageCorruptionIn(line)).toBeUndefined();
  });
});
