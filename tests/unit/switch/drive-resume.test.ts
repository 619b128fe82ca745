// A drive across a drill's process restart: the new process puts the car where the clock says, in the polygon it was
// in, and undoes that polygon's conditions as the car leaves, back to what they were before it entered.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LinkConditions, NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { Drill } from '../../../src-shared/drill.ts';
import { rmcSentence } from '../../../src-shared/nmea-write.ts';
import type { DrillTarget } from '../../../src-switch/drill/drill-player.ts';
import { DrillKeeper } from '../../../src-switch/drill/drill-keeper.ts';
import { DrillSession, type ProcessRestart } from '../../../src-switch/drill/drill-session.ts';
import { QueryLedger } from '../../../src-switch/drill/query-ledger.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';
import type { SwitchStore } from '../../../src-switch/store/store.ts';
import { FakeClock } from '../../support/fake-drill-clock.ts';

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

function processOn(store: SwitchStore, clock: FakeClock) {
  const target: DrillTarget & { current: LinkConditions } = {
    current: NORMAL_CONDITIONS,
    async set(next) {
      target.current = next;
    },
  };
  const restarts: string[] = [];
  const restart: ProcessRestart = { restart: (id) => (restarts.push(id), new Promise<never>(() => {})) };
  const session = new DrillSession(target, new QueryLedger(() => clock.now()), { clock, processRestart: { restart, keeper: new DrillKeeper(store), reason: 'SQLite store' } });
  stops.push(() => session.stop());
  return { target, session, restarts };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('a drive across a process restart', () => {
  it('carries on in the new process, in the polygon it was in, and restores the link as it was before the polygon', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'outrider-drive-resume-'));
    // Straight north, a fix a second from 34.000 to 34.019; the canyon spans 34.003 to 34.009.
    const route = Array.from({ length: 20 }, (_, second) => rmcSentence({ lat: 34 + second / 1000, lon: -118, speedKnots: 30, atMs: Date.UTC(2026, 0, 1, 0, 0, second) }));
    writeFileSync(join(folder, 'route.nmea'), route.map((line) => `${line}\r\n`).join(''));
    const listener = createSocket('udp4');
    listener.bind(0, '127.0.0.1');
    await once(listener, 'listening');
    stops.push(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    const canyon = [
      [34.003, -118.001],
      [34.003, -117.999],
      [34.009, -117.999],
      [34.009, -118.001],
    ];
    const drill = Drill.parse({
      name: 'Drive and restart',
      description: 'Under test',
      durationSeconds: 30,
      steps: [
        { at: 0, set: { latencyMs: 250 } },
        { at: 5, restart: { downSeconds: 3 } },
      ],
      drive: { route: 'route.nmea', nmeaUdp: `127.0.0.1:${listener.address().port}`, coverage: [{ name: 'Canyon', kind: 'dead', conditions: { blackHole: true, latencyMs: 5000 }, ring: canyon }] },
    });
    const [store, clock] = [new MemoryStore(), new FakeClock()];
    const first = processOn(store, clock);
    await first.session.start(drill, join(folder, 'drive.json'));
    await clock.advanceTo(4);
    expect(first.target.current).toMatchObject({ blackHole: true, latencyMs: 5000 });
    await clock.advanceTo(5);
    await settle();
    expect(first.restarts).toHaveLength(1);

    const next = processOn(store, clock);
    expect(await next.session.resume(first.restarts[0]!)).toMatchObject({ ok: true });
    expect(next.target.current).toMatchObject({ blackHole: true, latencyMs: 5000 });
    await clock.advanceTo(9);
    expect(next.session.driveView()).toMatchObject({ inside: 'Canyon', car: { lat: expect.closeTo(34.009, 6) } });
    await clock.advanceTo(10.5);
    await settle();
    expect(next.target.current).toEqual({ ...NORMAL_CONDITIONS, latencyMs: 250 });
    expect(next.session.report().drive?.crossings.map((crossing) => `${crossing.event} ${crossing.area} ${crossing.atSeconds}`)).toEqual(['entered Canyon 3', 'left Canyon 10']);
  });
});
