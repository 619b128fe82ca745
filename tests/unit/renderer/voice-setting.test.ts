// Whether answers are spoken: the agency's default until the officer chooses, then the officer's choice, kept.
import { describe, expect, it } from 'vitest';
import { VOICE_STORAGE_KEY, VoiceSetting } from '../../../src-renderer/speech/voice-setting.svelte.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), values };
}

describe('the voice setting', () => {
  it('is on by default, and off where the agency says so until the officer chooses', () => {
    expect(new VoiceSetting(memoryStorage()).on).toBe(true);
    const setting = new VoiceSetting(memoryStorage());
    setting.agencyDefault(false);
    expect(setting.on).toBe(false);
  });

  it('keeps the officer\'s choice on this device over the agency default', () => {
    const storage = memoryStorage();
    new VoiceSetting(storage).toggle();
    expect(storage.values.get(VOICE_STORAGE_KEY)).toBe('off');
    const again = new VoiceSetting(storage);
    again.agencyDefault(true);
    expect(again.on).toBe(false);
  });
});
