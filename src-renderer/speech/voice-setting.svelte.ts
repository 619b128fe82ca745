// Whether answers are spoken on this terminal: on one key, remembered per device like the theme.

/** Where the choice is kept: a preference, not CJI, so plain localStorage is fine. */
export const VOICE_STORAGE_KEY = 'outrider.voice';

type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export class VoiceSetting {
  /** On unless the officer turned it off here: a hit heard is a hit not missed while driving. */
  on = $state(true);

  constructor(private readonly storage: PreferenceStorage | undefined) {
    try {
      this.on = storage?.getItem(VOICE_STORAGE_KEY) !== 'off';
    } catch {
      // Storage refused: spoken, the default.
    }
  }

  toggle(): void {
    this.on = !this.on;
    try {
      this.storage?.setItem(VOICE_STORAGE_KEY, this.on ? 'on' : 'off');
    } catch {
      // Storage refused (full, or disabled): the choice still holds until the window closes.
    }
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** One per window: the officer's ears, not a terminal session, decide it. */
export const voiceSetting = new VoiceSetting(safeLocalStorage());
