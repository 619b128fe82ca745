// Figure 2: queries queued in a black hole, the hit 20th in line; from the switch answering again to the alert.
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import { signInAt } from '../tests/support/switch-session.ts';
import type { Page } from '@playwright/test';
import { type Bench, enterPlate, epochNow, openBaseline, openTerminal, sleep, waitForCommits } from './harness.ts';
import { type Measured, median, percentile, type Row } from './report.ts';
import { startSilentLink } from './silent-link.ts';

export interface LinkBackOptions {
  queries: number;
  /** How long the black hole lasts after the last query is queued. */
  outageMs: number;
  runs: number;
  workboxRuns: number;
  /** How long to wait for the hit after the link returns before saying "not within". */
  windowMs: number;
  /** Runs through a link that drops silently and never resets its connections (reported, no target). */
  silentRuns: number;
}

/** The training record that is a stolen vehicle (README, training records). */
const HIT = { lic: '4TRN123', lis: 'CA' };

/** How one run ends the outage and starts it: the switch's black hole, or a silent link in front of the switch. */
interface DeadLink {
  terminalUrl: string;
  setDead(dead: boolean): Promise<void>;
}

/** Where one run's link-back time went, each phase from the moment the link returned (ms, page-measured). */
export interface LinkBackPhases {
  /** The status bar says Link: Online. */
  online: number | null;
  /** The first answer arrives. */
  firstAnswer: number | null;
  /** The hit's answer arrives. */
  hitAnswer: number | null;
  /** The alert is on screen (the figure). */
  alert: number | null;
}

interface RunResult {
  total: Measured;
  phases: LinkBackPhases;
}

/**
 * Watches the status bar from inside the page and notes when it first says Link: Online: the bench reads it
 * once the alert is up, so its polling never shares the cores with what is timed.
 */
function watchOnline(page: Page): Promise<void> {
  return page.evaluate(() => {
    const bar = document.querySelector('[role="status"][aria-label="Terminal status"]')!;
    const probe = window as unknown as { __linkOnlineAt?: number };
    delete probe.__linkOnlineAt;
    const observer = new MutationObserver(() => {
      if (bar.textContent?.includes('Link: Online')) {
        probe.__linkOnlineAt = performance.timeOrigin + performance.now();
        observer.disconnect();
      }
    });
    observer.observe(bar, { childList: true, characterData: true, subtree: true });
  });
}

/** One run of the terminal: time from the link returning to the 'outrider:alert-visible' mark, and its phases. */
async function outriderRun(bench: Bench, link: DeadLink, options: LinkBackOptions, run: number): Promise<RunResult> {
  // No hotlist: the figure is the live answer's alert, not the POSSIBLE HIT a queued training plate raises offline.
  const { context, page } = await openTerminal(bench, undefined, { url: link.terminalUrl, hotlist: false });
  try {
    await link.setDead(true);
    for (let i = 0; i < options.queries - 1; i++) {
      await enterPlate(page, `L${run}${String(i).padStart(5, '0')}`);
      await waitForCommits(page, i + 1);
    }
    await enterPlate(page, HIT.lic, HIT.lis);
    await waitForCommits(page, options.queries);
    await sleep(options.outageMs);
    await watchOnline(page);
    await page.evaluate(() => performance.clearMarks('outrider:answer-arrived'));
    const lifted = epochNow();
    await link.setDead(false);
    // The mark carries its own time; polling only decides when we look at it.
    const shown = await page
      .waitForFunction(() => {
        const mark = performance.getEntriesByName('outrider:alert-visible')[0];
        return mark ? performance.timeOrigin + mark.startTime : undefined;
      }, undefined, { timeout: options.windowMs, polling: 50 })
      .then((handle) => handle.jsonValue())
      .catch(() => undefined);
    const seen = await page.evaluate(() => {
      const epoch = (mark: PerformanceEntry | undefined) => (mark ? performance.timeOrigin + mark.startTime : null);
      const alert = performance.getEntriesByName('outrider:alert-visible')[0] as PerformanceMark | undefined;
      const answers = performance.getEntriesByName('outrider:answer-arrived') as PerformanceMark[];
      const hitId = (alert?.detail as { queryId?: string } | undefined)?.queryId;
      const hit = answers.filter((mark) => (mark.detail as { queryId?: string }).queryId === hitId).at(-1);
      return { online: (window as unknown as { __linkOnlineAt?: number }).__linkOnlineAt ?? null, firstAnswer: epoch(answers[0]), hitAnswer: epoch(hit), alert: epoch(alert) };
    });
    const since = (at: number | null) => (at === null ? null : at - lifted);
    const phases = { online: since(seen.online), firstAnswer: since(seen.firstAnswer), hitAnswer: since(seen.hitAnswer), alert: since(seen.alert) };
    return { total: shown === undefined ? { value: options.windowMs, bound: 'above' } : { value: shown - lifted }, phases };
  } finally {
    await context.close();
    await link.setDead(false);
  }
}

/**
 * One run of Workbox used as documented: the page POSTs through a service worker that queues what fails
 * and replays on the 'sync' event. Workbox has no alert: its figure is when the hit's answer reaches the
 * page, the least an app built on it needs to raise one. A replayed request's answer goes to the service
 * worker and is dropped, so the run also notes when the hit reached the switch (its own count for the key).
 */
async function workboxRun(bench: Bench, options: LinkBackOptions, run: number): Promise<{ answered: Measured; atSwitch: Measured }> {
  const { context, page } = await openBaseline(bench);
  try {
    await page.evaluate(() => window.baseline.useWorker());
    // The page's queries carry a session, as the terminal's do; signed in before the black hole.
    const { token } = await signInAt(bench.drillSwitch.url, 'bench-link-back-1');
    await page.evaluate((session) => window.baseline.useSession(session), token);
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
    let atSwitch: Measured | undefined;
    let answered: Measured | undefined;
    while (epochNow() - lifted < options.windowMs && !(atSwitch && answered)) {
      if (!atSwitch && ((await bench.drillSwitch.stats()).byKey[hitKey] ?? 0) > 0) atSwitch = { value: epochNow() - lifted };
      const inPage = await page.evaluate((key) => window.baseline.answered[key], hitKey);
      if (!answered && inPage !== undefined) answered = { value: Math.max(0, inPage - lifted) };
      await sleep(25);
    }
    const outOfWindow: Measured = { value: options.windowMs, bound: 'above' };
    return { answered: answered ?? outOfWindow, atSwitch: atSwitch ?? outOfWindow };
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

/** The switch's black hole: connections held, then reset when it ends, so the terminal hears of it at once. */
function blackHole(bench: Bench): DeadLink {
  return { terminalUrl: bench.terminalUrl, setDead: async (dead) => void (await bench.drillSwitch.setConditions(dead ? { blackHole: true } : {})) };
}

/** `run 3: 0.42 s (online 0.01, first answer 0.05, hit answer 0.40)` */
function describeRun(result: RunResult, index: number): string {
  const at = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(2));
  const { online, firstAnswer, hitAnswer } = result.phases;
  return `run ${index + 1}: ${describe(result.total)} (online ${at(online)}, first answer ${at(firstAnswer)}, hit answer ${at(hitAnswer)})`;
}

/** Runs the terminal through a silent link: a relay in front of the switch that drops and never resets. */
async function silentRuns(bench: Bench, options: LinkBackOptions): Promise<RunResult[]> {
  const relay = await startSilentLink(bench.drillSwitch.url);
  const terminal = await bench.serveTerminalFor(relay.url);
  const results: RunResult[] = [];
  try {
    const link: DeadLink = { terminalUrl: terminal.url, setDead: async (dead) => relay.setDead(dead) };
    for (let run = 0; run < options.silentRuns; run++) {
      results.push(await outriderRun(bench, link, options, 100 + run));
      bench.log(`  link back through a silent drop, ${describeRun(results.at(-1)!, run)}; ${relay.frozen()} connections still frozen`);
    }
  } finally {
    await terminal.close();
    await relay.close();
  }
  return results;
}

export async function measureLinkBack(bench: Bench, options: LinkBackOptions): Promise<Row[]> {
  const outrider: RunResult[] = [];
  const workbox: Array<{ answered: Measured; atSwitch: Measured }> = [];
  const workboxRuns = () =>
    `Workbox answer in page ${workbox.map((run) => describe(run.answered)).join(', ')}, hit at switch ${workbox.map((run) => describe(run.atSwitch)).join(', ')}`;
  // Workbox's runs are spread among the terminal's, so a busy spell of the machine does not fall on one side only.
  const workboxEvery = Math.max(1, Math.floor(options.runs / Math.max(1, options.workboxRuns)));
  for (let run = 0; run < Math.max(options.runs, options.workboxRuns); run++) {
    if (run < options.runs) {
      outrider.push(await outriderRun(bench, blackHole(bench), options, run));
      bench.log(`  link back, ${describeRun(outrider.at(-1)!, run)}`);
    }
    if (run % workboxEvery === 0 && workbox.length < options.workboxRuns) {
      workbox.push(await workboxRun(bench, options, run));
      bench.log(`  link back, ${workboxRuns()}`);
    }
  }
  const silent = options.silentRuns > 0 ? await silentRuns(bench, options) : [];

  const baseline = typical(workbox.map((run) => run.answered));
  const seconds = (measured: Measured): Measured => ({ ...measured, value: measured.value / 1000 });
  const never = baseline.bound === 'above' ? `Workbox: no answer reached the page within ${options.windowMs / 1000} s; ` : '';
  const totals = outrider.map((run) => run.total);
  /** A percentile of the runs; out of window if any run at or below it ran out. */
  const atPercentile = (results: Measured[], p: number): Measured => {
    const value = percentile(results.map((result) => result.value), p);
    return results.some((result) => result.bound === 'above' && result.value <= value) ? { value, bound: 'above' } : { value };
  };
  const size = `${options.queries} queued, hit last, ${options.outageMs / 1000} s`;
  const runs = outrider.map(describeRun).join('; ');
  const rows: Row[] = [
    {
      figure: `Link back to alert, median of ${outrider.length} (${size} black hole)`,
      unit: 's',
      outrider: seconds(typical(totals)),
      baseline: { name: 'Workbox, hit answer in page', measured: seconds(baseline) },
      targets: [
        { on: 'value', max: 1.5, text: '≤ 1.5 s' },
        { on: 'ratio', max: 0.1, text: '≥ 10x faster' },
      ],
      note: `${never}${workboxRuns()}`,
    },
    { figure: `Link back to alert, p90 of ${outrider.length} runs`, unit: 's', outrider: seconds(atPercentile(totals, 90)), targets: [{ on: 'value', max: 0.6, text: '≤ 0.6 s' }] },
    {
      figure: `Link back to alert, slowest of ${outrider.length} runs`,
      unit: 's',
      outrider: seconds(atPercentile(totals, 100)),
      targets: [{ on: 'value', max: 1, text: '≤ 1 s' }],
      note: `each run from the link's return: ${runs}`,
    },
  ];
  if (silent.length > 0) {
    rows.push({
      figure: `Link back to alert, silent drop (${size}; connections never reset), median of ${silent.length}`,
      unit: 's',
      outrider: seconds(typical(silent.map((run) => run.total))),
      targets: [],
      note: `a relay that forwards nothing while dead and never resets what it froze: ${silent.map(describeRun).join('; ')}`,
    });
  }
  return rows;
}

const describe = (measured: Measured) => `${measured.bound === 'above' ? '>' : ''}${(measured.value / 1000).toFixed(2)} s`;
