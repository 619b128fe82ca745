// The drive player replays a route's fixes at its pace and plays each coverage polygon's conditions while the car is in it.
import { describe, expect, it } from 'vitest';
import { type LinkConditions, NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { Drive, type RouteFix } from '../../../src-shared/drive.ts';
import { parseNmea } from '../../../src-shared/nmea.ts';
import type { DrillTarget } from '../../../src-switch/drill/drill-player.ts';
import { DrivePlayer } from '../../../src-switch/drill/drive-player.ts';
import { FakeClock } from '../../support/fake-drill-clock.ts';

class Target implements DrillTarget {
  current: LinkConditions = NORMAL_CONDITIONS;
  async set(next: LinkConditions): Promise<void> {
    this.current = next;
  }
}

/** A straight road north, one fix a second from latitude 34.000 to 34.009; the canyon spans 34.003 to 34.005. */
const ROUTE: RouteFix[] = Array.from({ length: 10 }, (_, second) => ({ atMs: Date.UTC(2026, 0, 1) + second * 1000, lat: 34 + second / 1000, lon: -118, speedKnots: 30 }));
const band = (south: number, north: number) => [
  [south, -118.001],
  [south, -117.999],
  [north, -117.999],
  [north, -118.001],
];

function setUp(drive: object, options: { cycle?: () => { cycleStartMs: number; cycle: number } } = {}) {
  const clock = new FakeClock();
  const target = new Target();
  const sent: string[] = [];
  const crossings: string[] = [];
  let running = true;
  const player = new DrivePlayer(Drive.parse({ route: 'test.nmea', ...drive }), ROUTE, target, clock, {
    send: (sentence) => sent.push(sentence),
    cycle: options.cycle ?? (() => ({ cycleStartMs: 0, cycle: 1 })),
    running: () => running,
    crossed: (crossing) => crossings.push(`${crossing.event} ${crossing.area} at ${crossing.atSeconds}`),
  });
  const at = async (seconds: number) => {
    await clock.advanceTo(seconds);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, target, sent, crossings, player, at, end: () => (running = false) };
}

const CANYON = { name: 'Canyon', kind: 'dead', conditions: { blackHole: true }, ring: band(34.003, 34.005) };
const RIDGE = { name: 'Ridge', kind: 'degraded', conditions: { latencyMs: 3000, lossPercent: 20 }, ring: band(34.0055, 34.0075) };

describe('the drive player', () => {
  it("sends each fix as a valid RMC then GGA at the route's pace, scaled by the speed, with this machine's time", async () => {
    const { sent, player, at } = setUp({ speed: 2 });
    player.start();
    expect(sent).toHaveLength(2);
    await at(1.9);
    // At 2x, the route's 10 seconds play in 5: by 1.9 s, the fixes of 0, 1, 2 and 3 s.
    expect(sent).toHaveLength(8);
    const parsed = sent.map((sentence) => parseNmea(sentence));
    expect(parsed.every((entry) => entry.ok)).toBe(true);
    expect(parsed.map((entry) => (entry.ok ? entry.sentence.type : 'bad'))).toEqual(['RMC', 'GGA', 'RMC', 'GGA', 'RMC', 'GGA', 'RMC', 'GGA']);
    // The fix of 3 s, sent at 1.5 s on this machine's clock (the test's starts at midnight).
    expect(parsed[6]).toMatchObject({ ok: true, sentence: { lat: expect.closeTo(34.003, 5) } });
    expect(parsed[7]).toMatchObject({ ok: true, sentence: { timeOfDayMs: 1500 } });
  });

  it('plays a polygon as the car enters it and undoes it as the car leaves, keeping what a step changed meanwhile', async () => {
    const { target, crossings, player, at } = setUp({ coverage: [CANYON, RIDGE] });
    player.start();
    await at(2);
    expect(target.current.blackHole).toBe(false);
    await at(3);
    expect(target.current.blackHole).toBe(true);
    // A drill step while in the canyon: it stays after the car leaves.
    target.current = { ...target.current, jitterMs: 400 };
    await at(5);
    expect(target.current.blackHole).toBe(true);
    await at(6);
    expect(target.current).toEqual({ ...NORMAL_CONDITIONS, jitterMs: 400, latencyMs: 3000, lossPercent: 20 });
    await at(8);
    expect(target.current).toEqual({ ...NORMAL_CONDITIONS, jitterMs: 400 });
    expect(crossings).toEqual(['entered Canyon at 3', 'left Canyon at 6', 'entered Ridge at 6', 'left Ridge at 8']);
  });

  it('restores the value a polygon replaced, not a normal link', async () => {
    const { target, player, at } = setUp({ coverage: [RIDGE] });
    target.current = { ...NORMAL_CONDITIONS, latencyMs: 250 };
    player.start();
    await at(6);
    expect(target.current.latencyMs).toBe(3000);
    await at(8);
    expect(target.current).toEqual({ ...NORMAL_CONDITIONS, latencyMs: 250 });
  });

  it('changes nothing on a route that crosses no polygon', async () => {
    const { target, crossings, player, at } = setUp({ coverage: [{ ...CANYON, ring: band(35, 35.01) }] });
    player.start();
    await at(12);
    expect(target.current).toEqual(NORMAL_CONDITIONS);
    expect(crossings).toEqual([]);
  });

  it('reports the parked car once a second after the route ends, and stops sending when stopped', async () => {
    const { sent, player, at } = setUp({});
    player.start();
    await at(9);
    expect(sent).toHaveLength(20);
    await at(11.5);
    expect(sent).toHaveLength(24);
    expect(parseNmea(sent.at(-2)!)).toMatchObject({ ok: true, sentence: { speedKnots: 0 } });
    await player.stop();
    await at(20);
    expect(sent).toHaveLength(24);
    expect(player.view()).toMatchObject({ state: 'stopped', sentences: 24, car: { lat: expect.closeTo(34.009, 6) } });
  });

  it('touches the link no more once its drill has ended', async () => {
    const { target, player, at, end } = setUp({ coverage: [CANYON] });
    player.start();
    await at(3);
    expect(target.current.blackHole).toBe(true);
    end();
    target.current = NORMAL_CONDITIONS;
    await at(7);
    expect(target.current).toEqual(NORMAL_CONDITIONS);
  });

  it('starts the route again with each cycle of a looping drill', async () => {
    let cycle = { cycleStartMs: 0, cycle: 1 };
    const { target, sent, player, at } = setUp({ coverage: [CANYON] }, { cycle: () => cycle });
    player.start();
    await at(4);
    expect(target.current.blackHole).toBe(true);
    // The drill player starts cycle 2 from a normal link.
    cycle = { cycleStartMs: 4500, cycle: 2 };
    target.current = NORMAL_CONDITIONS;
    const before = sent.length;
    await at(5);
    expect(parseNmea(sent[before]!)).toMatchObject({ ok: true, sentence: { lat: expect.closeTo(34, 6) } });
    await at(7.5);
    expect(target.current.blackHole).toBe(true);
  });
});
