// Whether answers are spoken on this terminal: on one key, remembered per device like the theme.
import { type PreferenceStorage, safeLocalStorage } from '../ui/preference-storage.ts';

/** Where the choice is kept: a preference, not CJI, so plain localStorage is fine. */
export const VOICE_STORAGE_KEY = 'outrider.voice';

export class VoiceSetting {
  /** On unless turned off: a hit heard is a hit not missed while driving. */
  on = $state(true);
  /** Whether the officer has chosen on this device; until then the agency's default holds. */
  #chosen = false;

  constructor(private readonly storage: PreferenceStorage | undefined) {
    try {
      const stored = storage?.getItem(VOICE_STORAGE_KEY);
      this.#chosen = stored === 'on' || stored === 'off';
      this.on = stored !== 'off';
    } catch {
      // Storage refused: spoken, the default.
    }
  }

  /** The agency profile's `speech`: what holds until the officer presses F11 on this device. */
  agencyDefault(on: boolean): void {
    if (!this.#chosen) this.on = on;
  }

  toggle(): void {
    this.on = !this.on;
    this.#chosen = true;
    try {
      this.storage?.setItem(VOICE_STORAGE_KEY, this.on ? 'on' : 'off');
    } catch {
      // Storage refused (full, or disabled): the choice still holds until the window closes.
    }
  }
}

/** One per window: the officer's ears, not a terminal session, decide it. */
export const voiceSetting = new VoiceSetting(safeLocalStorage());
