// The flapping soak: the link goes down and up every 0.1 to 3 s while an officer keeps entering queries; then the
// link steadies and everything drains. Counts what was lost, what ran twice at the switch, and what was alerted.
import type { Page } from '@playwright/test';
import { typePlates, queuedAnnouncement } from '../tests/support/plate-typing.ts';
import { tallyAlerts } from './alert-tally.ts';
import type { SoakRig } from './crash.ts';
import { isHit, soakPlate } from './soak-plates.ts';
import { queryCounts, type SoakCounts } from './summary.ts';
import { terminalIdOf } from '../tests/support/terminal-records.ts';
import { acknowledgeAlerts, drainAcknowledging } from './terminal-state.ts';

export interface FlapSoakOptions {
  durationMs: number;
  queries: number;
  hitEvery: number;
  /** Each outage, and each spell of link between them, lasts a random time in [flapMinMs, flapMaxMs]. */
  flapMinMs: number;
  flapMaxMs: number;
}

/** Ten minutes; a query every 2 s over the first eight, as a busy officer runs them. */
export const FLAP_DEFAULTS: FlapSoakOptions = { durationMs: 10 * 60_000, queries: 240, hitEvery: 20, flapMinMs: 100, flapMaxMs: 3_000 };

export interface FlapSoakResult extends SoakCounts {
  soak: 'flap';
  durationMs: number;
  /** Outages played: the car's own network gone (offline) or the far side silent (black hole). */
  outages: { offline: number; blackHole: number };
  /** Submissions the switch received, resends included, and those it answered from its record of the key. */
  received: number;
  replayed: number;
  /** From the link steadying to every query answered. */
  settleMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the soak in `page`, a terminal signed in to `rig`'s switch with a live link. */
export async function runFlapSoak(rig: SoakRig, page: Page, options: FlapSoakOptions): Promise<FlapSoakResult> {
  const { drillSwitch, log } = rig;
  const context = page.context();
  const terminalId = await terminalIdOf(page);
  const start = await drillSwitch.stats();
  const between = () => options.flapMinMs + Math.random() * (options.flapMaxMs - options.flapMinMs);
  const outages = { offline: 0, blackHole: 0 };
  const until = performance.now() + options.durationMs;
  const flapper = (async () => {
    while (performance.now() < until) {
      // Alternate the two ways a car loses the switch: its own network gone, or the far side silent.
      if ((outages.offline + outages.blackHole) % 2 === 0) {
        await context.setOffline(true);
        outages.offline++;
      } else {
        await drillSwitch.setConditions({ blackHole: true });
        outages.blackHole++;
      }
      await sleep(between());
      await context.setOffline(false);
      await drillSwitch.setConditions({});
      await sleep(between());
    }
  })();

  const plates = Array.from({ length: options.queries }, (_, i) => soakPlate(i, 'FLAP', options.hitEvery));
  // The typing spreads over the first four fifths of the flapping, so queries go in through every kind of outage.
  const gapMs = (options.durationMs * 0.8) / options.queries;
  let dialogsAcknowledged = 0;
  for (let entered = 0; entered < options.queries; ) {
    // An alert can open mid-entry (that is the point): the typing stops at it; acknowledge it and type on.
    dialogsAcknowledged += await acknowledgeAlerts(page);
    const rest = plates.slice(entered);
    const announced = await typePlates(page, rest, { gapMs });
    const went = announced.findIndex((said, i) => said !== queuedAnnouncement(rest[i]!));
    // A plate not announced as queued is either stopped by a dialog (nothing typed) or refused: say which.
    if (went >= 0 && announced[went] !== undefined && !(await page.locator('dialog:modal').count())) {
      throw new Error(`plate ${rest[went]} was not queued: the form said "${announced[went]}"`);
    }
    entered += went >= 0 ? went : announced.length;
    if (entered < options.queries) log(`  ${entered} of ${options.queries} entered; an alert stopped the typing`);
  }
  await flapper;
  await context.setOffline(false);
  await drillSwitch.setConditions({});
  const steady = performance.now();

  // The link is steady: everything drains. Count the committed outbox, not the status bar.
  const drained = await drainAcknowledging(page, options.queries, 3 * 60_000);
  dialogsAcknowledged += drained.clicks;
  const settleMs = performance.now() - steady;
  const alerts = await tallyAlerts(page, drillSwitch, terminalId, plates.filter(isHit).length, () => dialogsAcknowledged);
  const end = await drillSwitch.stats();
  return {
    soak: 'flap',
    durationMs: options.durationMs,
    outages,
    received: end.received - start.received,
    settleMs: Math.round(settleMs),
    ...queryCounts(options.queries, drained.outbox, start, end),
    ...alerts,
  };
}
