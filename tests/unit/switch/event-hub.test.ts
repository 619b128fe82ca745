// The event hub on its own: with many terminals, broadcasts among their events, streams opened late from a
// resume point and a black hole in between, every stream gets exactly its terminal's events and the broadcasts,
// each once, in order.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchEvent } from '../../../src-shared/protocol.ts';
import { EventHub } from '../../../src-switch/protocol/event-hub.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';

/** A response that keeps what the hub writes to it: the event frames' ids and names. */
class Kept extends Writable {
  readonly frames: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const frame of chunk.toString().split('\n\n')) {
      const id = /^id: \w+-(\d+)$/m.exec(frame)?.[1];
      const name = /^event: (\w+)$/m.exec(frame)?.[1];
      if (id && name) this.frames.push(`${id} ${name}`);
    }
    done();
  }
}

const bolo = (n: number): SwitchEvent => ({ type: 'bolo', data: { id: `bolo-${n}` } as never });
const part = (n: number): SwitchEvent => ({ type: 'part', data: { n } as never });

describe('the event hub', () => {
  let paused = false;
  const hubs: EventHub[] = [];
  afterEach(() => {
    for (const hub of hubs.splice(0)) hub.close();
    paused = false;
  });

  async function hub() {
    const made = new EventHub({ retained: 20_000, retentionMs: 3_600_000, heartbeatMs: 60_000, paused: () => paused }, new MemoryStore());
    await made.start();
    hubs.push(made);
    return made;
  }

  it('writes each terminal its own events and every broadcast, in order, however they interleave', async () => {
    const events = await hub();
    const terminals = Array.from({ length: 40 }, (_, i) => `terminal-${String(i).padStart(3, '0')}`);
    const streams = new Map(terminals.map((terminal) => [terminal, new Kept()]));
    for (const [terminal, response] of streams) events.attach(terminal, response as unknown as ServerResponse, { after: 0, gap: undefined });
    // What each should get: its own parts and all bolos, as `seq name`.
    const expected = new Map(terminals.map((terminal) => [terminal, [] as string[]]));
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 1000;
    const late = new Kept();
    let lateFrom = 0;
    const lateExpected: string[] = [];
    for (let n = 1; n <= 3_000; n++) {
      // A black hole for a stretch: nothing written, then all of it at the first tick after.
      paused = n > 1_000 && n <= 1_200;
      const roll = next();
      if (roll < 30) {
        await events.publish(bolo(n), undefined);
        for (const kept of expected.values()) kept.push(`${n} bolo`);
        if (lateFrom) lateExpected.push(`${n} bolo`);
      } else {
        const terminal = terminals[roll % terminals.length]!;
        await events.publish(part(n), terminal);
        expected.get(terminal)!.push(`${n} part`);
        if (lateFrom && terminal === terminals[0]) lateExpected.push(`${n} part`);
      }
      // A second stream for the first terminal opens from a resume point halfway, as a terminal reconnecting does.
      if (n === 1_500) {
        lateFrom = n;
        events.attach(terminals[0]!, late as unknown as ServerResponse, events.resumePoint(`${events.epoch}-${n}`));
      }
    }
    paused = false;
    // The hub's tick writes what the black hole held back; everything published since was written as it came.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const [terminal, response] of streams) {
      expect(response.frames, terminal).toEqual(expected.get(terminal));
    }
    expect(late.frames).toEqual(lateExpected);
    expect(lateExpected.length).toBeGreaterThan(0);
  });

  it('a stream opened from an early resume point gets what it missed, then what comes, once each', async () => {
    const events = await hub();
    for (let n = 1; n <= 10; n++) await events.publish(n % 4 === 0 ? bolo(n) : part(n), n % 2 === 0 ? undefined : n % 3 === 0 ? 'terminal-b' : 'terminal-a');
    const a = new Kept();
    events.attach('terminal-a', a as unknown as ServerResponse, events.resumePoint(`${events.epoch}-2`));
    await events.publish(part(11), 'terminal-b');
    await events.publish(part(12), 'terminal-a');
    await events.publish(bolo(13), undefined);
    // 3 and 9 are terminal-b's (odd, divisible by three); 4 and 8 bolos; 6 and 10 parts broadcast; 5 and 7 terminal-a's.
    expect(a.frames).toEqual(['4 bolo', '5 part', '6 part', '7 part', '8 bolo', '10 part', '12 part', '13 bolo']);
  });
});
