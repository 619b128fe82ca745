// Night or day theme and night dimming: follows the system until the officer chooses, and remembers the choice.
import { safeLocalStorage } from '../ui/preference-storage.ts';
export type Theme = 'night' | 'day';
export type ThemeChoice = Theme | 'auto';

/** Brightness steps for the night theme, brightest first: the lowest still leaves text readable in a dark car. */
export const DIM_LEVELS = [1, 0.85, 0.7, 0.55, 0.4] as const;

/** Where the choice is kept: a display preference, not CJI, so plain localStorage is fine. */
export const DISPLAY_STORAGE_KEY = 'outrider.display';

interface Stored {
  theme: ThemeChoice;
  dim: number;
}

function readStored(storage: Storage | undefined): Stored {
  const fallback: Stored = { theme: 'auto', dim: 0 };
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(DISPLAY_STORAGE_KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return fallback;
    const { theme, dim } = parsed as Record<string, unknown>;
    return {
      theme: theme === 'night' || theme === 'day' ? theme : 'auto',
      dim: typeof dim === 'number' && Number.isInteger(dim) && dim >= 0 && dim < DIM_LEVELS.length ? dim : 0,
    };
  } catch {
    // A hand-edited or foreign value: start from the defaults rather than refuse to start.
    return fallback;
  }
}

export class DisplaySettings {
  /** What the officer chose; 'auto' follows prefers-color-scheme. */
  choice = $state<ThemeChoice>('auto');
  /** Index into DIM_LEVELS: 0 is full brightness. */
  dimStep = $state(0);
  #systemLight = $state(false);
  theme = $derived<Theme>(this.choice === 'auto' ? (this.#systemLight ? 'day' : 'night') : this.choice);
  /** Dimming is for the dark cab: a day theme in sunlight is always at full brightness. */
  brightness = $derived(this.theme === 'night' ? DIM_LEVELS[this.dimStep]! : 1);

  constructor(
    private readonly storage: Storage | undefined,
    systemLight: MediaQueryList | undefined,
  ) {
    const stored = readStored(storage);
    this.choice = stored.theme;
    this.dimStep = stored.dim;
    // "No preference" counts as night: a terminal that cannot tell should not dazzle.
    this.#systemLight = systemLight?.matches ?? false;
    systemLight?.addEventListener('change', (event) => (this.#systemLight = event.matches));
  }

  /** The one-key switch: to the other theme, remembered from now on. */
  toggle(): void {
    this.choice = this.theme === 'night' ? 'day' : 'night';
    this.#save();
  }

  followSystem(): void {
    this.choice = 'auto';
    this.#save();
  }

  dimmer(): void {
    this.dimStep = Math.min(this.dimStep + 1, DIM_LEVELS.length - 1);
    this.#save();
  }

  brighter(): void {
    this.dimStep = Math.max(this.dimStep - 1, 0);
    this.#save();
  }

  /** Puts the theme on the document: app.css keys every colour on data-theme and --dim. */
  apply(root: HTMLElement): void {
    root.dataset.theme = this.theme;
    root.style.setProperty('--dim', String(this.brightness));
  }

  #save(): void {
    try {
      this.storage?.setItem(DISPLAY_STORAGE_KEY, JSON.stringify({ theme: this.choice, dim: this.dimStep } satisfies Stored));
    } catch {
      // Storage refused (full, or disabled): the choice still holds until the window closes.
    }
  }
}

/** One per window: the theme belongs to the screen, not to a terminal session. */
export const display = new DisplaySettings(safeLocalStorage(), window.matchMedia?.('(prefers-color-scheme: light)'));
