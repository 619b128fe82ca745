// Alert tones drawn with Web Audio (no sound files): a distinct pattern per severity, officer safety
// repeating until acknowledged, and a mute that exists only for drills.
import { derived, get, type Readable, type Writable, writable } from 'svelte/store';
import type { AlertSeverity } from '../../src-shared/ipc.ts';

export interface Tone {
  frequency: number;
  durationMs: number;
  /** Silence after this tone before the next one starts. */
  gapMs: number;
}

export interface TonePattern {
  waveform: OscillatorType;
  /** Peak gain, 0..1: loud enough over a car's engine and radio, short of clipping. */
  volume: number;
  tones: readonly Tone[];
  /** Silence between rounds; present only for patterns that repeat until the alert is acknowledged. */
  repeatAfterMs?: number;
}

const tones = (frequencies: readonly number[], durationMs: number, gapMs: number): Tone[] =>
  frequencies.map((frequency) => ({ frequency, durationMs, gapMs }));

/**
 * What each severity sounds like. Officer safety is a hi-lo square wave, like a siren, and keeps
 * going until acknowledged; a hit is three rising notes once; lesser alerts are quieter and shorter.
 */
export const TONE_PATTERNS: Readonly<Record<AlertSeverity, TonePattern>> = {
  officer_safety: { waveform: 'square', volume: 0.3, tones: tones([988, 740, 988, 740, 988, 740], 160, 40), repeatAfterMs: 1_000 },
  hit: { waveform: 'triangle', volume: 0.6, tones: tones([659, 880, 1_175], 180, 70) },
  possible_hit: { waveform: 'triangle', volume: 0.5, tones: tones([659, 880], 180, 90) },
  broadcast: { waveform: 'sine', volume: 0.5, tones: tones([523, 784], 320, 80) },
  information: { waveform: 'sine', volume: 0.35, tones: tones([587], 160, 0) },
};

/** How long one round of the pattern lasts, gaps included. */
export function roundLengthMs(pattern: TonePattern): number {
  return pattern.tones.reduce((sum, tone) => sum + tone.durationMs + tone.gapMs, 0);
}

export interface ScheduledTone {
  frequency: number;
  /** Seconds on the audio clock. */
  start: number;
  stop: number;
}

/** One round of the pattern laid out on the audio clock from `at` (seconds). */
export function scheduleRound(pattern: TonePattern, at: number): ScheduledTone[] {
  let cursor = at;
  return pattern.tones.map((tone) => {
    const scheduled = { frequency: tone.frequency, start: cursor, stop: cursor + tone.durationMs / 1000 };
    cursor = scheduled.stop + tone.gapMs / 1000;
    return scheduled;
  });
}

/** A few milliseconds of attack and release, so tones start and end without a click. */
const RAMP_S = 0.008;

let pageContext: AudioContext | undefined;

/** The page's one AudioContext, made on first use: creating one takes some 185 ms, once. */
const pageAudio = (): AudioContext => (pageContext ??= new AudioContext());

/**
 * Makes the page's AudioContext now, while nothing is being alerted: made at the first alert instead, it held that
 * alert's dialog up by some 185 ms. Made after the sign-in's keys it may run at once; still suspended when an alert
 * sounds, it is resumed then (below).
 */
export function warmAlertSound(): void {
  try {
    pageAudio();
  } catch {
    // No audio device or no Web Audio: the first alert finds the same, and alerts without sound.
  }
}

/** Plays one alert's pattern at a time; `play` replaces whatever was sounding. */
export class AlertSound {
  #context: AudioContext | undefined;
  #voices: OscillatorNode[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly createContext: () => AudioContext = pageAudio) {}

  play(severity: AlertSeverity): void {
    this.stop();
    const pattern = TONE_PATTERNS[severity];
    const round = () => {
      this.#sound(pattern);
      if (pattern.repeatAfterMs !== undefined) this.#timer = setTimeout(round, roundLengthMs(pattern) + pattern.repeatAfterMs);
    };
    round();
  }

  /** Silences at once, including tones already scheduled, and cancels any repeat. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const voice of this.#voices.splice(0)) {
      try {
        voice.stop();
      } catch {
        // Already ended: nothing to silence.
      }
      voice.disconnect();
    }
  }

  #audio(): AudioContext | undefined {
    try {
      this.#context ??= this.createContext();
    } catch {
      // No audio device or no Web Audio: the dialog and the OS notification still alert.
      return undefined;
    }
    // Before the officer has touched the page (a reload with alerts waiting) the browser keeps the
    // context suspended; the first key or tap lets it sound.
    if (this.#context.state === 'suspended') {
      const context = this.#context;
      void context.resume().catch(() => undefined);
      const resume = () => void context.resume().catch(() => undefined);
      globalThis.addEventListener?.('keydown', resume, { once: true, capture: true });
      globalThis.addEventListener?.('pointerdown', resume, { once: true, capture: true });
    }
    return this.#context;
  }

  #sound(pattern: TonePattern): void {
    const context = this.#audio();
    if (!context) return;
    for (const tone of scheduleRound(pattern, context.currentTime + 0.02)) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = pattern.waveform;
      oscillator.frequency.value = tone.frequency;
      gain.gain.setValueAtTime(0, tone.start);
      gain.gain.linearRampToValueAtTime(pattern.volume, tone.start + RAMP_S);
      gain.gain.setValueAtTime(pattern.volume, tone.stop - RAMP_S);
      gain.gain.linearRampToValueAtTime(0, tone.stop);
      oscillator.connect(gain).connect(context.destination);
      oscillator.onended = () => this.#forget(oscillator);
      oscillator.start(tone.start);
      oscillator.stop(tone.stop);
      this.#voices.push(oscillator);
    }
  }

  #forget(oscillator: OscillatorNode): void {
    const index = this.#voices.indexOf(oscillator);
    if (index >= 0) this.#voices.splice(index, 1);
    oscillator.disconnect();
  }
}

/** The mute's key in localStorage: a preference, not CJI, so it needs no encryption. */
export const DRILL_MUTE_KEY = 'outrider.alert-sound.drill-mute';

type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Silences alert tones for a classroom drill. It exists only in drill mode and is never on by default;
 * outside a drill a mute left behind in storage is erased, so a real shift always sounds.
 */
export class DrillMute {
  readonly #stored: Writable<boolean>;
  readonly #offered = writable(false);
  /** True only while the terminal is in drill mode and the instructor has muted. */
  readonly muted: Readable<boolean>;

  constructor(private readonly storage: PreferenceStorage | undefined) {
    this.#stored = writable(storage?.getItem(DRILL_MUTE_KEY) === 'muted');
    this.muted = derived([this.#stored, this.#offered], ([stored, offered]) => stored && offered);
  }

  /** Says whether this terminal runs a drill; only then can the mute take effect. */
  offer(drill: boolean): void {
    this.#offered.set(drill);
    if (!drill) this.#save(false);
  }

  set(muted: boolean): void {
    if (muted && !get(this.#offered)) return;
    this.#save(muted);
  }

  #save(muted: boolean): void {
    try {
      if (muted) this.storage?.setItem(DRILL_MUTE_KEY, 'muted');
      else this.storage?.removeItem(DRILL_MUTE_KEY);
    } catch {
      // Storage refused (private mode, quota): the mute still holds for this page.
    }
    this.#stored.set(muted);
  }
}

export const drillMute = new DrillMute(typeof localStorage === 'undefined' ? undefined : localStorage);
