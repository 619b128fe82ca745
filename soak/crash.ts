// The crash soak: Chromium killed outright (SIGKILL, as a car losing power) at random moments of a long drain,
// the same profile reopened each time. Counts what was lost, what ran twice at the switch, and what was alerted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { NAME_SHIM } from '../bench/harness.ts';
import type { SwitchProcess } from '../scripts/switch-process.ts';
import type { DrillOfficer } from '../src-switch/auth/drill-officers.ts';
import { type KillableChromium, launchKillable } from '../tests/support/killable-chromium.ts';
import { typePlates, queuedAnnouncement } from '../tests/support/plate-typing.ts';
import { enter } from '../tests/support/sign-in.ts';
import { tallyAlerts } from './alert-tally.ts';
import { isHit, randomPoints, soakPlate } from './soak-plates.ts';
import { queryCounts, type SoakCounts } from './summary.ts';
import { terminalIdOf } from '../tests/support/terminal-records.ts';
import { acknowledgeAlerts, drainAcknowledging, queueCounts } from './terminal-state.ts';

export interface SoakRig {
  drillSwitch: SwitchProcess;
  /** The browser build, served with the switch above as its switch. */
  terminalUrl: string;
  log(message: string): void;
}

export interface CrashSoakOptions {
  kills: number;
  queries: number;
  /** Every this many queries, one is a training hit. */
  hitEvery: number;
  /** Added to every answer, so a kill always catches some queries mid-exchange. */
  latencyMs: number;
  /** Of the kills, the share that strike while the terminal is still starting (unlocking, resuming the drain). */
  startUpShare: number;
}

export const CRASH_DEFAULTS: CrashSoakOptions = { kills: 50, queries: 1_000, hitEvery: 20, latencyMs: 150, startUpShare: 0.2 };

/** One kill: when in the drain it struck, and what the reopened profile held. */
export interface Kill {
  moment: 'draining' | 'starting';
  /** Executions at the switch since the drain began when the browser died. */
  executed: number;
  /** 'draining': the execution count the kill waited for; 'starting': ms after the page began to load. */
  at: number;
  /** The queue as the next full start found it, by status ('intake' for entries not yet in the outbox). */
  found?: Record<string, number>;
  /**
   * What Chromium logged when it found the profile's IndexedDB corrupt after this kill and deleted it: the queries
   * then come back from the queue journal, which `found` counts with the rest.
   */
  deleted?: string;
}

export interface CrashSoakResult extends SoakCounts {
  soak: 'crash';
  kills: number;
  storesDeleted: number;
  replayed: number;
  drainMs: number;
  killLog: Kill[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Notes on `kill` that `chromium` deleted the profile's IndexedDB as it opened it (a store it found corrupt after the
 * kill, started again empty): the queue journal is what brings the queries back, and the result counts how often
 * it had to.
 */
function noteDeletedStore(chromium: KillableChromium, kill: Kill): void {
  const deleted = chromium.storageCorruption();
  if (deleted.length > 0) kill.deleted = deleted.join(' / ');
}

/**
 * How long the drain may go without one more execution at the switch before the soak stops and says what the
 * terminal held: at +100 ms a live drain executes several queries a second, and a stall should end the run with
 * its cause rather than run into the test's timeout with none.
 */
const STALL_MS = 60_000;

/** What the terminal shows and holds, for a stall's message: its status bar and its queue by status. */
async function terminalState(page: Page): Promise<string> {
  const bar = await page
    .getByRole('status', { name: 'Terminal status' })
    .textContent({ timeout: 2_000 })
    .catch((error: Error) => `(no status bar: ${error.message.split('\n')[0]})`);
  const queue = await queueCounts(page).catch((error: Error) => `(queue not read: ${error.message.split('\n')[0]})`);
  return `the status bar said "${bar?.replace(/\s+/g, ' ').trim()}", the queue held ${JSON.stringify(queue)}`;
}

/** The kill schedule: draining kills at random execution counts, start-up kills at random places between them. */
function schedule(options: CrashSoakOptions): Array<Pick<Kill, 'moment' | 'at'>> {
  const startUps = Math.round(options.kills * options.startUpShare);
  const drains = randomPoints(options.kills - startUps, 1, options.queries - 1).map((at) => ({ moment: 'draining' as const, at }));
  const plan: Array<Pick<Kill, 'moment' | 'at'>> = drains;
  // A start-up kill strikes 0-2.5 s after the page begins to load: at the notice, mid-unlock, or as the drain resumes.
  for (let i = 0; i < startUps; i++) plan.splice(1 + Math.floor(Math.random() * plan.length), 0, { moment: 'starting', at: Math.floor(Math.random() * 2_500) });
  return plan;
}

export async function runCrashSoak(rig: SoakRig, options: CrashSoakOptions): Promise<CrashSoakResult> {
  const { drillSwitch, terminalUrl, log } = rig;
  const profile = await mkdtemp(join(tmpdir(), 'outrider-crash-soak-'));
  let officer: DrillOfficer | undefined;
  let dialogsAcknowledged = 0;
  let chromium: KillableChromium | undefined;
  /** A new browser on the same profile, the terminal loaded; signed in (unlocked) unless `signIn` is false. */
  const reopen = async (signIn = true): Promise<Page> => {
    chromium = await launchKillable(profile);
    const context = chromium.browser.contexts()[0]!;
    // No hotlist: a possible hit for a queued plate is not what this soak counts.
    await context.route('**/v1/hotlist*', (route) => route.abort('blockedbyclient'));
    // Under tsx (npm run soak) functions handed to the page name themselves with a helper the page lacks.
    await context.addInitScript({ content: NAME_SHIM });
    const page = await context.newPage();
    if (signIn) {
      await page.goto(terminalUrl);
      officer = await enter(page, officer);
    }
    return page;
  };
  try {
    let page = await reopen();
    const context = page.context();
    await context.setOffline(true);
    await page.getByRole('status', { name: 'Terminal status' }).getByText('Link: Offline').waitFor();
    const plates = Array.from({ length: options.queries }, (_, i) => soakPlate(i, 'CRSH', options.hitEvery));
    const announced = await typePlates(page, plates);
    const missed = plates.findIndex((plate, i) => announced[i] !== queuedAnnouncement(plate));
    if (missed >= 0) throw new Error(`queueing stopped at plate ${missed + 1} (${plates[missed]}): the form said "${announced[missed] ?? 'nothing'}"`);
    const terminalId = await terminalIdOf(page);
    log(`  ${options.queries} queries queued offline, ${plates.filter(isHit).length} of them hits; draining at +${options.latencyMs} ms`);

    const start = await drillSwitch.stats();
    const executed = async () => (await drillSwitch.stats()).executed - start.executed;
    await drillSwitch.setConditions({ latencyMs: options.latencyMs });
    const drainStarted = performance.now();
    await context.setOffline(false);

    const killLog: Kill[] = [];
    /** Opens the terminal again after a kill, signed in, and notes what the profile held for the kill before. */
    const restart = async () => {
      page = await reopen();
      const kill = killLog.at(-1)!;
      kill.found = await queueCounts(page);
      noteDeletedStore(chromium!, kill);
    };
    let alive = true;
    for (const planned of schedule(options)) {
      if (planned.moment === 'draining') {
        if (!alive) await restart();
        // Acknowledge alerts as they come, as the officer would, until the drain reaches the kill point.
        let lastLook = 0;
        let progress = { executed: -1, at: performance.now() };
        for (let now = await executed(); now < planned.at; now = await executed()) {
          if (now !== progress.executed) progress = { executed: now, at: performance.now() };
          else if (performance.now() - progress.at > STALL_MS) {
            throw new Error(
              `the drain stalled: ${now} of ${options.queries} executed and none more for ${STALL_MS / 1000} s, waiting for ${planned.at} to kill again; ` +
                `${await terminalState(page)}; kills so far: ${JSON.stringify(killLog)}`,
            );
          }
          if (performance.now() - lastLook > 250) {
            dialogsAcknowledged += await acknowledgeAlerts(page);
            lastLook = performance.now();
          }
          await sleep(20);
        }
      } else {
        // Killed while it starts: at the notice, mid-unlock, or as the drain resumes.
        page = await reopen(false);
        // Navigated from inside the page rather than with page.goto: a goto still in flight when Chromium dies
        // can be answered with a response Playwright has already disposed of, which its client throws as an
        // uncaught error ("Object with guid response@... was not bound in the connection"), failing the run.
        const starting = page
          .evaluate((url) => void (location.href = url), terminalUrl)
          .catch(() => undefined)
          .then(() => enter(page, officer));
        starting.catch(() => undefined);
        await sleep(planned.at);
      }
      // A start-up kill's Chromium may have deleted the store as it opened it, after the kill before this one.
      if (planned.moment === 'starting' && killLog.length > 0) noteDeletedStore(chromium!, killLog.at(-1)!);
      await chromium!.kill();
      alive = false;
      killLog.push({ ...planned, executed: await executed() });
      if (killLog.length % 10 === 0) log(`  ${killLog.length} kills, ${killLog.at(-1)!.executed} of ${options.queries} executed`);
    }
    await restart();

    // The last start drains the rest; the officer acknowledges whatever comes up.
    const drained = await drainAcknowledging(page, options.queries, 5 * 60_000);
    dialogsAcknowledged += drained.clicks;
    const drainMs = performance.now() - drainStarted;
    await drillSwitch.setConditions({});
    const alerts = await tallyAlerts(page, drillSwitch, terminalId, plates.filter(isHit).length, () => dialogsAcknowledged);
    const counts = queryCounts(options.queries, drained.outbox, start, await drillSwitch.stats());
    await chromium!.kill();
    const storesDeleted = killLog.filter((kill) => kill.deleted).length;
    return { soak: 'crash', kills: killLog.length, storesDeleted, drainMs: Math.round(drainMs), killLog, ...counts, ...alerts };
  } finally {
    await chromium?.kill().catch(() => undefined);
    // SIGKILL reaches the browser process only: its helpers may still write to the profile for a moment.
    await rm(profile, { recursive: true, force: true, maxRetries: 10 });
  }
}
