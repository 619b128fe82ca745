// The speaker's rules, against a fake speechSynthesis: one sentence at a time, an acknowledged alert cut off,
// silence while locked, muted or turned off, and answers that arrive together summed up.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnswerPart, FoundRecord } from '../../../src-shared/protocol.ts';
import type { AlertRecord, OutboxEntry, StoredAnswer } from '../../../src-renderer/db/database.ts';
import type { QueryRow } from '../../../src-renderer/results/history.ts';
import { AnswerVoice } from '../../../src-renderer/speech/answer-voice.ts';
import { Speaker, webVoice } from '../../../src-renderer/speech/speaker.ts';

interface FakeUtterance {
  text: string;
  onend: (() => void) | null;
  onerror: (() => void) | null;
}

/** Records what is handed to speak; a sentence ends when the test says so, and cancel cuts it off. */
class FakeSynthesis {
  spoken: string[] = [];
  queue: FakeUtterance[] = [];
  cancels = 0;
  speak(utterance: SpeechSynthesisUtterance): void {
    const fake = utterance as unknown as FakeUtterance;
    this.spoken.push(fake.text);
    this.queue.push(fake);
  }
  cancel(): void {
    this.cancels += 1;
    for (const utterance of this.queue.splice(0)) utterance.onerror?.();
  }
  finish(): void {
    this.queue.shift()?.onend?.();
  }
}

function setUp(rules: { allowed?: () => boolean } = {}) {
  const synth = new FakeSynthesis();
  const voice = webVoice(synth, (text) => ({ text, onend: null, onerror: null }) as unknown as SpeechSynthesisUtterance);
  const speaker = new Speaker(voice, rules.allowed ?? (() => true));
  return { synth, speaker, voice: new AnswerVoice(speaker) };
}

const part = (records: FoundRecord[] = []): AnswerPart => ({ source: 'NCIC', status: records.length > 0 ? 'record' : 'not_on_file', records, text: 'REPLY', answeredAt: '2026-12-06T20:00:01.000Z' });
const armed: FoundRecord = { type: 'wanted_person', summary: 'WANTED', fields: {}, cautions: ['armed_and_dangerous'] };

function row(id: string, lic: string, parts?: AnswerPart[], complete = true): QueryRow {
  const entry: OutboxEntry = { id, query: { kind: 'plate', lic, lis: 'CA' }, priority: 'routine', lane: 2, seq: 1, status: parts ? 'answered' : 'queued', attempts: 0, askedAt: '2026-12-06T20:00:00.000Z' };
  if (!parts) return { entry };
  const answer: StoredAnswer = { queryId: id, switchQueryId: `s-${id}`, receivedAt: '2026-12-06T20:00:01.000Z', parts, complete, askedAt: entry.askedAt, sentAt: entry.askedAt, answeredAt: '2026-12-06T20:00:01.000Z', late: false };
  return { entry, answer };
}

describe('the speaker', () => {
  it('hands speechSynthesis one sentence at a time, in order', () => {
    const { synth, speaker } = setUp();
    speaker.say([{ text: 'one' }, { text: 'two' }]);
    expect(synth.spoken).toEqual(['one']);
    synth.finish();
    expect(synth.spoken).toEqual(['one', 'two']);
  });

  it('cancels an alert as it is acknowledged, and goes on with the next one', () => {
    const { synth, speaker } = setUp();
    speaker.say([{ text: 'caution', about: 'a' }, { text: 'hit', about: 'a' }, { text: 'other hit', about: 'b' }]);
    speaker.drop('a');
    expect(synth.cancels).toBe(1);
    expect(synth.spoken).toEqual(['caution', 'other hit']);
  });

  it('says nothing while not allowed (locked, muted or turned off), and stops when it becomes so', () => {
    let allowed = false;
    const { synth, speaker } = setUp({ allowed: () => allowed });
    speaker.say([{ text: 'while locked' }]);
    expect(synth.spoken).toEqual([]);
    allowed = true;
    speaker.say([{ text: 'first' }, { text: 'second' }]);
    allowed = false;
    speaker.silence();
    synth.finish();
    expect(synth.spoken).toEqual(['first']);
    expect(speaker.speaking).toBe(false);
  });

  it('goes on to the next sentence when the voice never says the last one ended', () => {
    vi.useFakeTimers();
    const { synth, speaker } = setUp();
    speaker.say([{ text: 'lost end' }, { text: 'next' }]);
    vi.advanceTimersByTime(10_000);
    expect(synth.spoken).toEqual(['lost end', 'next']);
    vi.useRealTimers();
  });

  it('is silent where there is no speech synthesis', () => {
    const speaker = new Speaker(undefined, () => true);
    speaker.say([{ text: 'nothing' }]);
    expect(speaker.speaking).toBe(false);
  });
});

describe('what is said as answers come in', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads nothing that was there before, then a hit with its caution first', () => {
    const { synth, voice } = setUp();
    voice.rows([row('q1', '4TRN000', [part()])]);
    expect(synth.spoken).toEqual([]);
    voice.rows([row('q2', '4TRN123', [part([armed])], false), row('q1', '4TRN000', [part()])]);
    synth.finish();
    synth.finish();
    expect(synth.spoken).toEqual(['Caution. Armed and dangerous.', 'Hit. Wanted person.', 'Plate four tango romeo november one two three, California.']);
  });

  it('says a clean verdict once every source has answered, and only once', () => {
    const { synth, voice } = setUp();
    voice.rows([]);
    voice.rows([row('q1', '4TRN000', [part()], false)]);
    expect(synth.spoken).toEqual([]);
    voice.rows([row('q1', '4TRN000', [part()], true)]);
    voice.rows([row('q1', '4TRN000', [part(), part()], true)]);
    expect(synth.spoken).toEqual(['No record. Plate four tango romeo november zero zero zero, California.']);
  });

  it('sums up answers that arrived together, then reads their hit', () => {
    const { synth, voice } = setUp();
    voice.rows([]);
    voice.rows([row('q1', '4TRN000', [part()]), row('q2', '4TRN123', [part([armed])]), row('q3', '4TRN001', [part()])]);
    for (let i = 0; i < 4; i += 1) synth.finish();
    expect(synth.spoken).toEqual(['Three answers, one hit.', 'Caution. Armed and dangerous.', 'Hit. Wanted person.', 'Plate four tango romeo november one two three, California.']);
  });

  it('holds the answers to a queue drained at link-back until the last is in, then sums them up', () => {
    const { synth, voice } = setUp();
    voice.rows([row('q1', '4TRN000'), row('q2', '4TRN456'), row('q3', '4TRN001')]);
    voice.rows([row('q1', '4TRN000', [part()]), row('q2', '4TRN123', [part([armed])]), row('q3', '4TRN001')]);
    expect(synth.spoken).toEqual([]);
    voice.rows([row('q1', '4TRN000', [part()]), row('q2', '4TRN123', [part([armed])]), row('q3', '4TRN001', [part()])]);
    expect(synth.spoken).toEqual(['Three answers, one hit.']);
  });

  it('does not hold a hit back longer than the gathering time', () => {
    vi.useFakeTimers();
    const { synth, voice } = setUp();
    voice.rows([row('q1', '4TRN000'), row('q2', '4TRN123')]);
    voice.rows([row('q1', '4TRN000'), row('q2', '4TRN123', [part([armed])])]);
    expect(synth.spoken).toEqual([]);
    vi.advanceTimersByTime(4_000);
    expect(synth.spoken).toEqual(['Caution. Armed and dangerous.']);
  });

  it('does not say an alert the officer acknowledged before its answer was read back', () => {
    const { synth, voice } = setUp();
    const alert = { id: 'alert-q2', queryId: 'q2', severity: 'officer_safety', rank: 0 } as AlertRecord;
    voice.rows([]);
    voice.alerts([], []);
    voice.alerts([alert], []);
    voice.alerts([], []);
    voice.rows([row('q2', '4TRN123', [part([armed])])]);
    expect(synth.spoken).toEqual([]);
  });

  it('says a possible hit from the hotlist, then the live answer that settles it', () => {
    const { synth, voice } = setUp();
    const possible = { id: 'alert-q1', queryId: 'q1', severity: 'possible_hit', rank: 2, title: 'STOLEN PLATE', cautions: [] as string[] } as AlertRecord;
    const queued = [row('q1', '4TRN456')];
    voice.rows(queued);
    voice.alerts([], queued);
    voice.alerts([possible], queued);
    synth.finish();
    synth.finish();
    voice.rows([row('q1', '4TRN456', [part()])]);
    expect(synth.spoken).toEqual([
      'Possible hit, confirm live. Stolen plate.',
      'Plate four tango romeo november four five six, California.',
      'No record. Plate four tango romeo november four five six, California.',
    ]);
  });

  it('stops an alert that leaves the waiting list: it was acknowledged', () => {
    const { synth, voice } = setUp();
    const alert = { id: 'alert-q2', queryId: 'q2', severity: 'officer_safety', rank: 0 } as AlertRecord;
    voice.rows([]);
    voice.alerts([], []);
    voice.rows([row('q2', '4TRN123', [part([armed])])]);
    voice.alerts([alert], []);
    voice.alerts([], []);
    expect(synth.cancels).toBe(1);
    expect(synth.spoken).toEqual(['Caution. Armed and dangerous.']);
  });
});
