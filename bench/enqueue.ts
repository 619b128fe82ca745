// Figure 1: Enter to durably queued, against a raw IndexedDB put (the floor) and Workbox's pushRequest.
import { type Bench, enterAtOfficerPace, enterPlate, enterPlateAtOfficerPace, openBaseline, openTerminal, waitForCommits } from './harness.ts';
import type { EnterContender } from './probes/baseline-page.ts';
import { pairEach, percentile, type Row } from './report.ts';

export interface EnqueueOptions {
  count: number;
  warmup: number;
  /** The three contenders take turns in blocks of this many, so a noisy neighbour hits all of them alike. */
  block: number;
  /** Queries entered afterwards at machine speed (typed and entered at once), for a row without a target. */
  machineSpeed: number;
}

/**
 * Queries are entered at an officer's pace (enterAtOfficerPace: a pause of PAUSE_BEFORE_ENTER_MS before
 * Enter, the key released once the query is queued), then a second set at machine speed.
 * Outrider is timed from the Enter keydown (window capture phase, before the app sees it) to the
 * 'complete' event of the transaction that commits the query, sealed, with its audit line, to the intake:
 * the moment a crash can no longer lose the query (the outbox takes it in next, or at the next start).
 * That transaction runs in the intake's worker, which reports its time; every query is then checked to be
 * in storage. The link is down (switch outage) so sending does not share the database with queueing.
 * The floor and Workbox are typed and entered the same way, in a page of their own: Enter's keydown to a
 * raw put's 'complete', and to pushRequest resolved. The floor is also timed from call to 'complete' in
 * that page left idle, for a row without a target.
 */
export async function measureEnqueue(bench: Bench, options: EnqueueOptions): Promise<Row[]> {
  const terminal = await openTerminal(bench);
  try {
    // The first send after this fails at once and the terminal goes offline; the warm-up absorbs that.
    await bench.drillSwitch.setConditions({ outage: true });
    const baseline = await openBaseline(bench);
    const { page } = terminal;
    const switchUrl = bench.drillSwitch.url;
    let entered = 0;
    const outrider = async (count: number) => {
      for (let i = 0; i < count; i++) {
        entered++;
        await enterPlateAtOfficerPace(page, `E${String(entered).padStart(6, '0')}`, entered);
      }
    };
    const machineSpeed = async (count: number) => {
      for (let i = 0; i < count; i++) {
        entered++;
        await enterPlate(page, `M${String(entered).padStart(6, '0')}`);
        await waitForCommits(page, entered);
      }
    };
    let keyed = 0;
    /** `count` plates typed and entered in the baseline page, each Enter running `contender`; the times, Enter to done. */
    const byEnter = async (contender: EnterContender, count: number) => {
      await baseline.page.evaluate(([which, name, url]) => window.baseline.onEnter(which, name, url), [contender, 'bench-enqueue', switchUrl] as const);
      const from = keyed;
      for (let i = 0; i < count; i++) {
        const n = ++keyed;
        const lic = `${contender === 'workbox' ? 'W' : 'F'}${String(n).padStart(6, '0')}`;
        await enterAtOfficerPace(
          baseline.page,
          [
            ['#lic', lic],
            ['#lis', 'CA'],
          ],
          () => baseline.page.evaluate((k) => window.baseline.whenKeyed(k), n),
        );
      }
      const { enters, done } = await baseline.page.evaluate(() => window.baseline.keyed);
      return pairEach(enters.slice(from), done.slice(from));
    };
    const idleFloor = (count: number) => baseline.page.evaluate((n) => window.baseline.floor(n), count);

    await outrider(options.warmup);
    await byEnter('floor', options.warmup);
    await byEnter('floor-worker', options.warmup);
    await byEnter('workbox', options.warmup);
    await idleFloor(options.warmup);
    const measuredFrom = entered;
    const floorTimes: number[] = [];
    const floorWorkerTimes: number[] = [];
    const workboxTimes: number[] = [];
    const idleFloorTimes: number[] = [];
    for (let done = 0; done < options.count; done += options.block) {
      const size = Math.min(options.block, options.count - done);
      floorTimes.push(...(await byEnter('floor', size)));
      floorWorkerTimes.push(...(await byEnter('floor-worker', size)));
      workboxTimes.push(...(await byEnter('workbox', size)));
      idleFloorTimes.push(...(await idleFloor(size)));
      await outrider(size);
      bench.log(`  enqueue: ${done + size}/${options.count}`);
    }
    const pacedUntil = entered;
    // The same terminal driven as fast as Playwright can: not a figure with a target, shown so the
    // officer's pace above is not mistaken for the whole story.
    await machineSpeed(options.machineSpeed);
    const probe = await page.evaluate(() => ({ enters: window.__benchProbe.enters, commits: window.__benchProbe.commits }));
    // The commit times are the app's own marks: every query entered must really be in storage, queued.
    await page.evaluate((n) => window.__benchProbe.whenStatusCount('queued', n, 20), entered);
    const times = pairEach(probe.enters, probe.commits);
    const outriderTimes = times.slice(measuredFrom, pacedUntil);
    const machineTimes = times.slice(pacedUntil);
    await baseline.context.close();

    const p = (samples: number[], q: number) => ({ value: percentile(samples, q) });
    /** The floor at a percentile: whichever raw put, from the page's thread or from a worker, was faster there. */
    const floorAt = (q: number) => {
      const [onPage, inWorker] = [percentile(floorTimes, q), percentile(floorWorkerTimes, q)];
      return onPage <= inWorker ? { name: 'IndexedDB put, page', measured: { value: onPage } } : { name: 'IndexedDB put, worker', measured: { value: inWorker } };
    };
    const n = `${options.count.toLocaleString('en-US')} queries`;
    return [
      { figure: `Enqueue p50, Enter to committed (${n})`, unit: 'ms', outrider: p(outriderTimes, 50), baseline: floorAt(50), targets: [] },
      {
        figure: `Enqueue p99, Enter to committed (${n})`,
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: floorAt(99),
        targets: [{ on: 'ratio', max: 2, text: '≤ 2x floor' }],
      },
      {
        figure: "Enqueue p99 vs a put from Enter on the page's thread",
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: { name: 'IndexedDB put, page', measured: p(floorTimes, 99) },
        targets: [],
      },
      {
        figure: 'Enqueue p99 vs a put from Enter in a worker',
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: { name: 'IndexedDB put, worker', measured: p(floorWorkerTimes, 99) },
        targets: [],
      },
      {
        figure: 'Enqueue p99 vs a put called in an idle page',
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: { name: 'IndexedDB put, no key', measured: p(idleFloorTimes, 99) },
        targets: [],
      },
      { figure: 'Enqueue p50 vs Workbox', unit: 'ms', outrider: p(outriderTimes, 50), baseline: { name: 'Workbox pushRequest', measured: p(workboxTimes, 50) }, targets: [] },
      {
        figure: 'Enqueue p99 vs Workbox',
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: { name: 'Workbox pushRequest', measured: p(workboxTimes, 99) },
        targets: [{ on: 'ratio', max: 1, text: 'no slower than Workbox' }],
      },
      {
        figure: `Enqueue p99 at machine speed, no pause (${machineTimes.length.toLocaleString('en-US')})`,
        unit: 'ms',
        outrider: p(machineTimes, 99),
        baseline: { name: 'IndexedDB put, no key', measured: p(idleFloorTimes, 99) },
        targets: [],
      },
    ];
  } finally {
    await terminal.context.close();
    await bench.drillSwitch.setConditions({});
  }
}
