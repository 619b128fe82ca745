// Figure 2: queries queued in a black hole, the hit 20th in line; from the switch answering again to the alert.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { type Bench, enterPlate, epochNow, openBaseline, openTerminal, sleep, waitForCommits } from './harness.ts';
import { type Measured, median, type Row } from './report.ts';

export interface LinkBackOptions {
  queries: number;
  /** How long the black hole lasts after the last query is queued. */
  outageMs: number;
  runs: number;
  workboxRuns: number;
  /** How long to wait for the hit after the link returns before saying "not within". */
  windowMs: number;
}

/** The training record that is a stolen vehicle (README, training records). */
const HIT = { lic: '4TRN123', lis: 'CA' };

/** One run of the terminal: time from lifting the black hole to the 'outrider:alert-visible' mark. */
async function outriderRun(bench: Bench, options: LinkBackOptions, run: number): Promise<Measured> {
  const { context, page } = await openTerminal(bench);
  try {
    await bench.drillSwitch.setConditions({ blackHole: true });
    for (let i = 0; i < options.queries - 1; i++) {
      await enterPlate(page, `L${run}${String(i).padStart(5, '0')}`);
      await waitForCommits(page, i + 1);
    }
    await enterPlate(page, HIT.lic, HIT.lis);
    await waitForCommits(page, options.queries);
    await sleep(options.outageMs);
    const lifted = epochNow();
    await bench.drillSwitch.setConditions({});
    // The mark carries its own time; polling only decides when we look at it.
    const shown = await page
      .waitForFunction(() => {
        const mark = performance.getEntriesByName('outrider:alert-visible')[0];
        return mark ? performance.timeOrigin + mark.startTime : undefined;
      }, undefined, { timeout: options.windowMs, polling: 50 })
      .then((handle) => handle.jsonValue())
      .catch(() => undefined);
    return shown === undefined ? { value: options.windowMs, bound: 'above' } : { value: shown - lifted };
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

/**
 * One run of Workbox used as documented: the page POSTs through a service worker that queues what fails
 * and replays on the 'sync' event. Workbox has no alert, so its figure is when the hit reaches the switch
 * (from the switch's own count for that Idempotency-Key): a lower bound on any alert it could show.
 */
async function workboxRun(bench: Bench, options: LinkBackOptions, run: number): Promise<Measured> {
  const { context, page } = await openBaseline(bench);
  try {
    await page.evaluate(() => window.baseline.useWorker());
    await bench.drillSwitch.setConditions({ blackHole: true });
    const hitKey = crypto.randomUUID();
    for (let i = 0; i < options.queries; i++) {
      const last = i === options.queries - 1;
      const key = last ? hitKey : crypto.randomUUID();
      const lic = last ? HIT.lic : `W${run}${String(i).padStart(5, '0')}`;
      // The page gives up after the terminal's own request timeout, as any careful page would.
      await page.evaluate(([url, k, l, timeout]) => window.baseline.send(url, k, l, timeout), [bench.drillSwitch.url, key, lic, FIELD_CONFIG.requestTimeoutMs] as const);
    }
    await sleep(options.outageMs);
    const lifted = epochNow();
    await bench.drillSwitch.setConditions({});
    while (epochNow() - lifted < options.windowMs) {
      const stats = await bench.drillSwitch.stats();
      if ((stats.byKey[hitKey] ?? 0) > 0) return { value: epochNow() - lifted };
      await sleep(25);
    }
    return { value: options.windowMs, bound: 'above' };
  } finally {
    await context.close();
    await bench.drillSwitch.setConditions({});
  }
}

/** The median of the runs; if that run ran out of window, so does the figure. */
function typical(results: Measured[]): Measured {
  const value = median(results.map((result) => result.value));
  const above = results.filter((result) => result.bound === 'above').length > results.length / 2;
  return above ? { value, bound: 'above' } : { value };
}

export async function measureLinkBack(bench: Bench, options: LinkBackOptions): Promise<Row[]> {
  const outrider: Measured[] = [];
  const workbox: Measured[] = [];
  for (let run = 0; run < Math.max(options.runs, options.workboxRuns); run++) {
    if (run < options.runs) outrider.push(await outriderRun(bench, options, run));
    if (run < options.workboxRuns) workbox.push(await workboxRun(bench, options, run));
    bench.log(`  link back, run ${run + 1}: Outrider ${outrider.map(describe).join(', ')}; Workbox ${workbox.map(describe).join(', ')}`);
  }
  const baseline = typical(workbox);
  const seconds = (measured: Measured): Measured => ({ ...measured, value: measured.value / 1000 });
  const never = baseline.bound === 'above' ? `Workbox: no replay within ${options.windowMs / 1000} s; ` : '';
  return [
    {
      figure: `Link back to alert (${options.queries} queued, hit last, ${options.outageMs / 1000} s black hole)`,
      unit: 's',
      outrider: seconds(typical(outrider)),
      baseline: { name: 'Workbox sync replay, hit at switch', measured: seconds(baseline) },
      targets: [
        { on: 'value', max: 1.5, text: '≤ 1.5 s' },
        { on: 'ratio', max: 0.1, text: '≥ 10x faster' },
      ],
      note: `${never}runs: Outrider ${outrider.map(describe).join(', ')}; Workbox ${workbox.map(describe).join(', ')}`,
    },
  ];
}

const describe = (measured: Measured) => `${measured.bound === 'above' ? '>' : ''}${(measured.value / 1000).toFixed(2)} s`;
