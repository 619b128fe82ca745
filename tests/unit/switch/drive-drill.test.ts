// A drive drill in a real switch process: the shipped canyon drive replayed over UDP at high speed, the link dead in
// the canyon and back when the car leaves, the terminal's own NMEA source reading the replay, and bad drives refused.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkConditions } from '../../../src-shared/conditions.ts';
import { type DrillReport, drillPaths } from '../../../src-shared/drill.ts';
import { DriveAnswer, drivePaths } from '../../../src-shared/drive.ts';
import type { GpsReport } from '../../../src-shared/gps.ts';
import { nmeaSentence, parseNmea } from '../../../src-shared/nmea.ts';
import { paths } from '../../../src-shared/protocol.ts';
import { startNmeaUdpSource } from '../../../src-main/gps/nmea-udp-source.ts';
import { SwitchProcess } from '../../../scripts/switch-process.ts';
import { switchCliSandbox } from '../../support/switch-cli.ts';

const CANYON_DRIVE = fileURLToPath(new URL('../../../drills/canyon-drive.json', import.meta.url));
/** The route lasts 230 s; at 25x the car is in the canyon from about 2.3 s to 4.4 s of the drill. */
const FAST = '25';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function udpListener(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

async function driveSwitch(nmeaUdp: string): Promise<SwitchProcess> {
  const switchProcess = new SwitchProcess(0, ['--store', 'memory', '--latency-scale', '0', '--data-size', '50', '--drill', CANYON_DRIVE, '--drive-speed', FAST, '--drive-nmea-udp', nmeaUdp]);
  await switchProcess.start();
  cleanups.push(() => switchProcess.stop());
  return switchProcess;
}

async function conditions(switchProcess: SwitchProcess): Promise<LinkConditions> {
  return (await (await switchProcess.adminFetch(paths.adminConditions)).json()) as LinkConditions;
}

/** Polls the admin conditions until `test` holds, as the instructor page does (every 50 ms here, not 2 s). */
async function until(switchProcess: SwitchProcess, test: (current: LinkConditions) => boolean, what: string): Promise<LinkConditions> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const current = await conditions(switchProcess);
    if (test(current)) return current;
    if (Date.now() > deadline) throw new Error(`The switch never had ${what}: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a drive drill in a real switch process', () => {
  it('replays the shipped canyon drive as valid RMC and GGA over UDP, dead in the canyon and back when the car leaves', async () => {
    const socket = await udpListener();
    const sentences: string[] = [];
    socket.on('message', (datagram) => sentences.push(datagram.toString('latin1')));
    const switchProcess = await driveSwitch(`127.0.0.1:${socket.address().port}`);

    const before = await conditions(switchProcess);
    expect(before).toMatchObject({ blackHole: false, latencyMs: 250 });
    await until(switchProcess, (current) => current.blackHole, 'the black hole of the canyon');
    const out = await until(switchProcess, (current) => !current.blackHole, 'the link back after the canyon');
    // The drill's own step (cellular latency) is untouched by the canyon coming and going.
    expect(out).toMatchObject({ blackHole: false, latencyMs: 250, jitterMs: 250 });

    expect(sentences.length).toBeGreaterThan(40);
    const parsed = sentences.map((datagram) => {
      expect(datagram).toMatch(/\r\n$/);
      return parseNmea(datagram);
    });
    expect(parsed.filter((entry) => !entry.ok)).toEqual([]);
    expect(new Set(parsed.map((entry) => (entry.ok ? entry.sentence.type : '')))).toEqual(new Set(['RMC', 'GGA']));
    const first = parsed[0]!;
    expect(first).toMatchObject({ ok: true, sentence: { type: 'RMC', valid: true, lat: expect.closeTo(34.0353, 3), lon: expect.closeTo(-118.6939, 3) } });
    // Sent as live fixes, stamped with this machine's time, so the terminal does not take them for stale.
    if (first.ok && first.sentence.type === 'RMC') expect(Math.abs(first.sentence.fixTime! - Date.now())).toBeLessThan(30_000);

    const drive = DriveAnswer.parse(await (await switchProcess.adminFetch(drivePaths.adminDrive)).json()).drive!;
    expect(drive).toMatchObject({ state: 'running', route: 'routes/canyon-drive.nmea', speed: 25, coverage: [{ name: 'Canyon', kind: 'dead' }, { name: 'Ridge', kind: 'degraded' }] });
    expect(drive.path.length).toBeGreaterThan(100);
    expect(drive.car).not.toBeNull();
    const report = (await (await switchProcess.adminFetch(drillPaths.adminReport)).json()) as DrillReport;
    expect(report.drive?.crossings.slice(0, 2)).toMatchObject([
      { event: 'entered', area: 'Canyon', kind: 'dead' },
      { event: 'left', area: 'Canyon', kind: 'dead' },
    ]);
    const drawing = await (await switchProcess.adminFetch(drillPaths.adminReportDrawing)).text();
    expect(drawing).toContain('Where the car was');
    expect(drawing).toContain('<title>Canyon: dead</title>');
  });

  it("reaches the terminal's NMEA-over-UDP source, which reports the car's fix", async () => {
    const source = await startNmeaUdpSource({ port: 0, bind: '127.0.0.1', from: '127.0.0.1' });
    cleanups.push(() => source.close());
    const fix = new Promise<GpsReport>((resolve) => source.onReport((report) => (report.kind === 'fix' ? resolve(report) : undefined)));
    await driveSwitch(`127.0.0.1:${source.port}`);
    const report = await fix;
    expect(report).toMatchObject({ kind: 'fix', fix: { source: 'nmea-udp', lat: expect.closeTo(34.0353, 3), lon: expect.closeTo(-118.6939, 3) } });
    expect(source.counts().rejected).toEqual({ checksum: 0, malformed: 0, talker: 0, implausible: 0, sender: 0 });
  });
});

describe('the switch CLI with a bad drive', () => {
  const sandbox = switchCliSandbox('outrider-drive-');

  async function refused(args: string[]): Promise<string> {
    const spawned = sandbox.spawnSwitch(args);
    let stderr = '';
    spawned.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(spawned, 'exit');
    expect(code).toBe(2);
    return stderr;
  }

  function drill(drive: object, route?: string): string {
    const folder = sandbox.folder();
    if (route !== undefined) writeFileSync(join(folder, 'route.nmea'), route);
    const file = join(folder, 'drive.json');
    writeFileSync(file, JSON.stringify({ name: 'Drive', description: 'Under test', durationSeconds: 60, steps: [{ at: 0, set: { latencyMs: 100 } }], drive }));
    return file;
  }

  it('exits 2 naming a route file that is missing, or that has no valid fix', async () => {
    const missing = drill({ route: 'route.nmea' });
    expect(await refused(['--drill', missing])).toContain(`--drill ${missing} is not a valid drill: drive.route: ${join(sandbox.folder(), 'route.nmea')} does not exist`);
    const empty = drill({ route: 'route.nmea' }, `# no fix here\r\n${nmeaSentence('GPRMC,031200.00,V,,,,,,,141026,,,N')}\r\n`);
    expect(await refused(['--drill', empty])).toContain(`drive.route: ${join(sandbox.folder(), 'route.nmea')} has no valid fix`);
  });

  it('exits 2 naming a bad polygon, and a bad --drive-nmea-udp', async () => {
    const file = drill({ route: 'route.nmea', coverage: [{ name: 'Canyon', kind: 'dead', conditions: { blackHole: true }, ring: [[34, -118], [34.1, -118]] }] });
    expect(await refused(['--drill', file])).toContain('drive.coverage[0].ring: a polygon needs at least 3 different points');
    expect(await refused(['--drive-nmea-udp', 'modem'])).toContain('--drive-nmea-udp must be HOST:PORT, such as 127.0.0.1:10110, not "modem"');
  });
});
