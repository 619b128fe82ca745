// Alert tones: one recognisable pattern per severity, officer safety sounding until acknowledged, a drill-only mute.
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertSeverity } from '../../../src-shared/ipc.ts';
import { AlertSound, DRILL_MUTE_KEY, DrillMute, roundLengthMs, scheduleRound, TONE_PATTERNS, warmAlertSound } from '../../../src-renderer/alerts/sound.ts';

const severities = AlertSeverity.options;
const signature = (severity: AlertSeverity) => JSON.stringify({ ...TONE_PATTERNS[severity], volume: undefined });

describe('tone patterns', () => {
  it('gives every severity a pattern of its own', () => {
    expect(new Set(severities.map(signature)).size).toBe(severities.length);
  });

  it('makes officer safety and a hit differ in notes, not just loudness', () => {
    const notes = (severity: AlertSeverity) => TONE_PATTERNS[severity].tones.map((tone) => tone.frequency);
    expect(notes('officer_safety')).not.toEqual(notes('hit'));
    expect(TONE_PATTERNS.officer_safety.waveform).not.toBe(TONE_PATTERNS.hit.waveform);
  });

  it('repeats officer safety until acknowledged and plays every other severity once', () => {
    expect(TONE_PATTERNS.officer_safety.repeatAfterMs).toBeGreaterThan(0);
    for (const severity of severities.filter((s) => s !== 'officer_safety')) expect(TONE_PATTERNS[severity].repeatAfterMs).toBeUndefined();
  });

  it('keeps every tone audible and short enough to repeat within a few seconds', () => {
    for (const severity of severities) {
      const pattern = TONE_PATTERNS[severity];
      expect(pattern.volume).toBeGreaterThan(0);
      expect(pattern.volume).toBeLessThanOrEqual(1);
      for (const tone of pattern.tones) expect(tone.frequency).toBeGreaterThanOrEqual(300);
      expect(roundLengthMs(pattern)).toBeLessThan(3_000);
    }
  });

  it('lays a round out on the audio clock one tone after another', () => {
    const round = scheduleRound(TONE_PATTERNS.hit, 10);
    expect(round.map((tone) => tone.frequency)).toEqual([659, 880, 1_175]);
    expect(round[0]).toMatchObject({ start: 10, stop: 10.18 });
    expect(round[1]!.start).toBeCloseTo(10.25);
    for (const [earlier, later] of round.slice(0, -1).map((tone, i) => [tone, round[i + 1]!] as const)) expect(later.start).toBeGreaterThanOrEqual(earlier.stop);
  });
});

/** Just enough of an AudioContext to count the tones the player starts and stops. */
function fakeAudio() {
  const started: number[] = [];
  let stopped = 0;
  const param = () => ({ value: 0, setValueAtTime: vi.fn(), linearRampToValueAtTime: vi.fn() });
  const context = {
    state: 'running',
    currentTime: 0,
    destination: {},
    createGain: () => ({ gain: param(), connect: (next: unknown) => next }),
    createOscillator() {
      const oscillator = {
        type: 'sine',
        frequency: param(),
        onended: null,
        connect: (next: unknown) => next,
        disconnect: vi.fn(),
        start: () => started.push(oscillator.frequency.value),
        stop: (when?: number) => {
          if (when === undefined) stopped += 1;
        },
      };
      return oscillator;
    },
  };
  return { context: context as unknown as AudioContext, started, stopped: () => stopped };
}

describe('the alert player', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps sounding officer safety round after round until stopped, then is silent', () => {
    const audio = fakeAudio();
    const sound = new AlertSound(() => audio.context);
    sound.play('officer_safety');
    const perRound = TONE_PATTERNS.officer_safety.tones.length;
    expect(audio.started).toHaveLength(perRound);
    vi.advanceTimersByTime(3 * (roundLengthMs(TONE_PATTERNS.officer_safety) + TONE_PATTERNS.officer_safety.repeatAfterMs!));
    expect(audio.started).toHaveLength(4 * perRound);

    sound.stop();
    vi.advanceTimersByTime(60_000);
    expect(audio.started).toHaveLength(4 * perRound);
  });

  it('plays a hit once', () => {
    const audio = fakeAudio();
    const sound = new AlertSound(() => audio.context);
    sound.play('hit');
    vi.advanceTimersByTime(60_000);
    expect(audio.started).toEqual([659, 880, 1_175]);
  });

  it('cuts tones already scheduled when stopped, so acknowledging silences at once', () => {
    const audio = fakeAudio();
    const sound = new AlertSound(() => audio.context);
    sound.play('officer_safety');
    sound.stop();
    expect(audio.stopped()).toBe(TONE_PATTERNS.officer_safety.tones.length);
  });

  it('replaces the sounding alert rather than layering a second one over it', () => {
    const audio = fakeAudio();
    const sound = new AlertSound(() => audio.context);
    sound.play('officer_safety');
    sound.play('hit');
    vi.advanceTimersByTime(60_000);
    expect(audio.started).toHaveLength(TONE_PATTERNS.officer_safety.tones.length + 3);
  });

  it('sounds the first alert on the audio made ahead of it, not on audio made by the alert', () => {
    const audio = fakeAudio();
    const made = vi.fn(() => audio.context);
    vi.stubGlobal('AudioContext', function AudioContext() {
      return made();
    });
    try {
      warmAlertSound();
      expect(made).toHaveBeenCalledTimes(1);
      new AlertSound().play('hit');
      expect(made).toHaveBeenCalledTimes(1);
      expect(audio.started).toHaveLength(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('stays quiet without failing where there is no audio device', () => {
    const sound = new AlertSound(() => {
      throw new Error('no audio');
    });
    expect(() => sound.play('officer_safety')).not.toThrow();
    sound.stop();
  });
});

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the drill mute', () => {
  it('is off by default', () => {
    const mute = new DrillMute(memoryStorage());
    mute.offer(true);
    expect(get(mute.muted)).toBe(false);
  });

  it('cannot be switched on outside a drill', () => {
    const storage = memoryStorage();
    const mute = new DrillMute(storage);
    mute.offer(false);
    mute.set(true);
    expect(get(mute.muted)).toBe(false);
    expect(storage.items.has(DRILL_MUTE_KEY)).toBe(false);
  });

  it('lasts across a reload during a drill', () => {
    const storage = memoryStorage();
    const first = new DrillMute(storage);
    first.offer(true);
    first.set(true);
    expect(get(first.muted)).toBe(true);

    const reloaded = new DrillMute(storage);
    reloaded.offer(true);
    expect(get(reloaded.muted)).toBe(true);
  });

  it('is erased when the terminal starts outside a drill, so a real shift always sounds', () => {
    const storage = memoryStorage({ [DRILL_MUTE_KEY]: 'muted' });
    const mute = new DrillMute(storage);
    mute.offer(false);
    expect(get(mute.muted)).toBe(false);
    expect(storage.items.has(DRILL_MUTE_KEY)).toBe(false);
  });
});
