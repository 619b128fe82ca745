// Figure 1: Enter to durably queued, against a raw IndexedDB put (the floor) and Workbox's pushRequest.
import { type Bench, enterPlate, enterPlateAtOfficerPace, openBaseline, openTerminal, waitForCommits } from './harness.ts';
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
 * Queries are entered at an officer's pace (enterPlateAtOfficerPace: a pause of PAUSE_BEFORE_ENTER_MS
 * before Enter, the key released once the query is queued), then a second set at machine speed.
 * Outrider is timed from the Enter keydown (window capture phase, before the app sees it) to the
 * 'complete' event of the transaction that commits the query, sealed, with its audit line, to the intake:
 * the moment a crash can no longer lose the query (the outbox takes it in next, or at the next start).
 * That transaction runs in the intake's worker, which reports its time; every query is then checked to be
 * in storage. The link is down (switch outage) so sending does not share the
 * database with queueing. The floor and Workbox are timed in their own page from call to commit.
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
    const floor = (count: number) => baseline.page.evaluate((n) => window.baseline.floor(n), count);
    const workbox = (count: number) => baseline.page.evaluate(([name, url, n]) => window.baseline.workboxPush(name, url, n), ['bench-enqueue', switchUrl, count] as const);

    await outrider(options.warmup);
    await floor(options.warmup);
    await workbox(options.warmup);
    const measuredFrom = entered;
    const floorTimes: number[] = [];
    const workboxTimes: number[] = [];
    for (let done = 0; done < options.count; done += options.block) {
      const size = Math.min(options.block, options.count - done);
      floorTimes.push(...(await floor(size)));
      workboxTimes.push(...(await workbox(size)));
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
    const n = `${options.count.toLocaleString('en-US')} queries`;
    return [
      { figure: `Enqueue p50, Enter to committed (${n})`, unit: 'ms', outrider: p(outriderTimes, 50), baseline: { name: 'IndexedDB put', measured: p(floorTimes, 50) }, targets: [] },
      {
        figure: `Enqueue p99, Enter to committed (${n})`,
        unit: 'ms',
        outrider: p(outriderTimes, 99),
        baseline: { name: 'IndexedDB put', measured: p(floorTimes, 99) },
        targets: [{ on: 'ratio', max: 2, text: '≤ 2x floor' }],
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
        baseline: { name: 'IndexedDB put', measured: p(floorTimes, 99) },
        targets: [],
      },
    ];
  } finally {
    await terminal.context.close();
    await bench.drillSwitch.setConditions({});
  }
}
