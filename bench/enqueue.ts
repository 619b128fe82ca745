// Figure 1: Enter to queued on disk, against a raw IndexedDB put (the floor), strict and relaxed, and Workbox's pushRequest.
import { type Bench, enterAtOfficerPace, enterPlate, enterPlateAtOfficerPace, launchOnDisk, openBaseline, openTerminal, waitForCommits } from './harness.ts';
import type { EnterContender } from './probes/baseline-page.ts';
import { pairEach, percentile, type Row } from './report.ts';

export interface EnqueueOptions {
  count: number;
  warmup: number;
  /** The contenders take turns in blocks of this many Outrider queries, so a noisy neighbour hits all of them alike. */
  block: number;
  /** Queries entered afterwards at machine speed (typed and entered at once), for a row without a target. */
  machineSpeed: number;
  /** Entries for each strict floor (from the page's thread, from a worker), spread over the blocks: the target's measure. */
  strictFloors: number;
  /** Entries for Workbox, a target's measure whose figure has settled over earlier runs, spread likewise. */
  settled: number;
  /** Entries for each relaxed floor (page, worker): rows without a target, settled over earlier runs, spread likewise. */
  relaxedFloors: number;
}

/** The raw puts from Enter, one set of times per thread and durability. */
interface FloorTimes {
  page: number[];
  worker: number[];
}

/**
 * Queries are entered at an officer's pace (enterAtOfficerPace: a pause of PAUSE_BEFORE_ENTER_MS before
 * Enter, the key released once the query is queued), then a second set at machine speed.
 * Outrider is timed from the Enter keydown (window capture phase, before the app sees it) to the
 * 'complete' event of the transaction that commits the query, sealed, with its audit line, to the intake,
 * strict: the moment neither a crash of the app nor one of the OS can lose the query (the outbox takes it in
 * next, or at the next start). That transaction runs in the intake's worker, which reports its time; every
 * query is then checked to be in storage. The link is down (switch outage) so sending does not share the
 * database with queueing. Everything runs in a profile on disk (launchOnDisk): in memory, strict costs nothing.
 * The floors and Workbox are typed and entered the same way, in a page of their own: Enter's keydown to a
 * raw put's 'complete' (strict and relaxed, from the page's thread and from a worker), and to pushRequest
 * resolved. The floor is also timed from call to 'complete' in that page left idle, for a row without a target.
 */
export async function measureEnqueue(bench: Bench, options: EnqueueOptions): Promise<Row[]> {
  const disk = await launchOnDisk();
  try {
    const terminal = await openTerminal(bench, disk.context);
    // The first send after this fails at once and the terminal goes offline; the warm-up absorbs that.
    await bench.drillSwitch.setConditions({ outage: true });
    const baseline = await openBaseline(bench, disk.context);
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
    const byEnter = async (contender: EnterContender, count: number, durability: IDBTransactionDurability = 'relaxed') => {
      await baseline.page.evaluate(([which, name, url, how]) => window.baseline.onEnter(which, name, url, how), [contender, 'bench-enqueue', switchUrl, durability] as const);
      const from = keyed;
      for (let i = 0; i < count; i++) {
        const n = ++keyed;
        const lic = `${contender === 'workbox' ? 'W' : durability === 'strict' ? 'S' : 'F'}${String(n).padStart(6, '0')}`;
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
    for (const durability of ['strict', 'relaxed'] as const) {
      await byEnter('floor', options.warmup, durability);
      await byEnter('floor-worker', options.warmup, durability);
    }
    await byEnter('workbox', options.warmup);
    await idleFloor(options.warmup);
    const measuredFrom = entered;
    const strict: FloorTimes = { page: [], worker: [] };
    const relaxed: FloorTimes = { page: [], worker: [] };
    const workboxTimes: number[] = [];
    const idleFloorTimes: number[] = [];
    /** This block's part of `total` entries spread over the blocks: the parts add up to `total`. */
    const share = (total: number, done: number, size: number) => Math.round((total * (done + size)) / options.count) - Math.round((total * done) / options.count);
    for (let done = 0; done < options.count; done += options.block) {
      const size = Math.min(options.block, options.count - done);
      const [strictPart, settledPart, relaxedPart] = [share(options.strictFloors, done, size), share(options.settled, done, size), share(options.relaxedFloors, done, size)];
      strict.page.push(...(await byEnter('floor', strictPart, 'strict')));
      strict.worker.push(...(await byEnter('floor-worker', strictPart, 'strict')));
      relaxed.page.push(...(await byEnter('floor', relaxedPart, 'relaxed')));
      relaxed.worker.push(...(await byEnter('floor-worker', relaxedPart, 'relaxed')));
      workboxTimes.push(...(await byEnter('workbox', settledPart)));
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
    return enqueueRows(options.count, times.slice(measuredFrom, pacedUntil), times.slice(pacedUntil), { strict, relaxed, workboxTimes, idleFloorTimes });
  } finally {
    await disk.close();
    await bench.drillSwitch.setConditions({});
  }
}

function enqueueRows(
  count: number,
  outriderTimes: number[],
  machineTimes: number[],
  baselines: { strict: FloorTimes; relaxed: FloorTimes; workboxTimes: number[]; idleFloorTimes: number[] },
): Row[] {
  const { strict, relaxed, workboxTimes, idleFloorTimes } = baselines;
  const p = (samples: number[], q: number) => ({ value: percentile(samples, q) });
  /** The floor at a percentile: whichever raw put, from the page's thread or from a worker, was faster there. */
  const floorAt = (floor: FloorTimes, durability: string, q: number) => {
    const [onPage, inWorker] = [percentile(floor.page, q), percentile(floor.worker, q)];
    return onPage <= inWorker ? { name: `${durability} put, page`, measured: { value: onPage } } : { name: `${durability} put, worker`, measured: { value: inWorker } };
  };
  /** Outrider's entries at percentile `q` beside one contender's. */
  const vs = (figure: string, q: number, name: string, contender: number[], targets: Row['targets'] = []): Row => ({
    figure,
    unit: 'ms',
    outrider: p(outriderTimes, q),
    baseline: { name, measured: p(contender, q) },
    targets,
  });
  const n = `${count.toLocaleString('en-US')} queries`;
  return [
    { figure: `Enqueue p50, Enter to on disk (${n})`, unit: 'ms', outrider: p(outriderTimes, 50), baseline: floorAt(strict, 'strict', 50), targets: [] },
    {
      figure: `Enqueue p99, Enter to on disk (${n})`,
      unit: 'ms',
      outrider: p(outriderTimes, 99),
      baseline: floorAt(strict, 'strict', 99),
      targets: [{ on: 'ratio', max: 2, text: '≤ 2x strict floor' }],
    },
    vs("Enqueue p99 vs a strict put from Enter on the page's thread", 99, 'strict put, page', strict.page),
    vs('Enqueue p99 vs a strict put from Enter in a worker', 99, 'strict put, worker', strict.worker),
    { figure: 'Enqueue p50 vs a relaxed put from Enter (not on disk)', unit: 'ms', outrider: p(outriderTimes, 50), baseline: floorAt(relaxed, 'relaxed', 50), targets: [] },
    vs("Enqueue p99 vs a relaxed put from Enter on the page's thread", 99, 'relaxed put, page', relaxed.page),
    vs('Enqueue p99 vs a relaxed put from Enter in a worker', 99, 'relaxed put, worker', relaxed.worker),
    vs('Enqueue p99 vs a relaxed put called in an idle page', 99, 'relaxed put, no key', idleFloorTimes),
    vs('Enqueue p50 vs Workbox', 50, 'Workbox pushRequest', workboxTimes),
    vs('Enqueue p99 vs Workbox', 99, 'Workbox pushRequest', workboxTimes, [{ on: 'ratio', max: 1, text: 'no slower than Workbox' }]),
    {
      figure: `Enqueue p99 at machine speed, no pause (${machineTimes.length.toLocaleString('en-US')})`,
      unit: 'ms',
      outrider: p(machineTimes, 99),
      baseline: { name: 'relaxed put, no key', measured: p(idleFloorTimes, 99) },
      targets: [],
    },
  ];
}
