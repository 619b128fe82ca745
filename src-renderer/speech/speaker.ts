// One voice and one queue: the OS voice gets a sentence at a time, so the words of an alert the officer
// has acknowledged can be dropped while the rest still play.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

/** A voice that says one sentence and tells when it is done (or was cut off). */
export interface Voice {
  say(text: string, done: () => void): void;
  /** Stops at once, mid-word. */
  hush(): void;
}

/** The part of `speechSynthesis` the speaker uses. */
export type Synthesis = Pick<SpeechSynthesis, 'speak' | 'cancel'>;

/** The Web Speech API's voice: in Electron, the operating system's voices. */
export function webVoice(synth: Synthesis, utter: (text: string) => SpeechSynthesisUtterance = (text) => new SpeechSynthesisUtterance(text)): Voice {
  // Held while it speaks: Chromium may collect an utterance nothing refers to, and its end event with it.
  let speaking: SpeechSynthesisUtterance | undefined;
  return {
    say(text, done) {
      const utterance = utter(text);
      utterance.lang = 'en-US';
      // A little slower than the default: heard over an engine and a radio, at night, once.
      utterance.rate = 0.95;
      const finish = () => {
        clearTimeout(guard);
        if (speaking === utterance) speaking = undefined;
        done();
      };
      utterance.onend = finish;
      utterance.onerror = finish;
      speaking = utterance;
      const guard = setTimeout(finish, FIELD_CONFIG.speechEndGraceMs + text.length * FIELD_CONFIG.speechMsPerCharacter);
      synth.speak(utterance);
    },
    hush: () => synth.cancel(),
  };
}

/** The page's voice, or none: a browser without speech synthesis stays silent and says nothing about it. */
export function pageVoice(): Voice | undefined {
  const synth = globalThis.speechSynthesis;
  return synth && typeof globalThis.SpeechSynthesisUtterance === 'function' ? webVoice(synth) : undefined;
}

/** A sentence to say and, for an alert's words, the alert it belongs to. */
export interface Line {
  text: string;
  about?: string;
}

export class Speaker {
  #queue: Line[] = [];
  #current: Line | undefined;
  /** Which `say` is current: the done of a sentence cut off must not start the next one twice. */
  #turn = 0;

  /** `allowed` is asked before every sentence: voice on, not muted, terminal not locked. */
  constructor(
    private readonly voice: Voice | undefined,
    private readonly allowed: () => boolean,
  ) {}

  get speaking(): boolean {
    return this.#current !== undefined;
  }

  say(lines: readonly Line[]): void {
    if (!this.voice || lines.length === 0 || !this.allowed()) return;
    this.#queue.push(...lines);
    if (!this.#current) this.#next();
  }

  /** The alert `about` was acknowledged: its words stop now, and those still waiting are dropped. */
  drop(about: string): void {
    this.#queue = this.#queue.filter((line) => line.about !== about);
    if (this.#current?.about !== about) return;
    this.#cut();
    this.#next();
  }

  /** Nothing more: the terminal locked, the voice was turned off or muted. */
  silence(): void {
    this.#queue = [];
    if (this.#current) this.#cut();
  }

  #cut(): void {
    this.#turn += 1;
    this.#current = undefined;
    this.voice?.hush();
  }

  #next(): void {
    const line = this.#queue.shift();
    if (!line || !this.voice) return;
    if (!this.allowed()) return this.silence();
    this.#current = line;
    const turn = ++this.#turn;
    this.voice.say(line.text, () => {
      if (turn !== this.#turn) return;
      this.#current = undefined;
      this.#next();
    });
  }
}
