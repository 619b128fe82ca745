// Issue 19 item 6, as a terminal meets it: a dead zone leaves a backlog of audit lines far larger than one
// upload may carry, and all of it reaches the switch when the link returns; a switch that keeps refusing the
// trail shows on the status line until an upload is kept again.
import type { Page } from '@playwright/test';
import { verifyChain } from '../../src-shared/audit-chain.ts';
import { authPaths } from '../../src-shared/auth.ts';
import { keptTrail } from '../support/terminal-records.ts';
import { keptRecords, terminalId } from './audit-support.ts';
import { type DrillSwitch, expect, fillSignIn, queued, shiftHolder, statusBar, test } from './fixtures.ts';
import { queuePlates } from './ui-support.ts';

// No hotlist alert should stop the officer's typing.
test.use({ hotlist: false });

/** Queries queued in the dead zone: each writes a line, and discarding it at sign-out writes another. */
const QUERIES = 300;

const NOT_DELIVERED = /Audit not delivered since \d\d:\d\d/;

/** How many lines of each action the switch holds. */
async function keptActions(drillSwitch: DrillSwitch, terminal: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const record of await keptRecords(drillSwitch, terminal)) counts[record.action] = (counts[record.action] ?? 0) + 1;
  return counts;
}

/** A plate no training record holds, different for each query. */
const plate = (index: number) => `7AUD${String(index).padStart(3, '0')}`;

/** Locks with F12 and unlocks with the password: two lines, session.lock and session.unlock. */
async function lockAndUnlock(page: Page): Promise<void> {
  await page.keyboard.press('F12');
  await page.getByLabel('Password').fill(shiftHolder(page)!.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Outrider is locked' })).toHaveCount(0);
}

test('600 audit lines made offline all reach the switch after the link returns, in order and chained', async ({ terminal: page, context, drillSwitch }) => {
  // 300 queries, each awaited as the officer sees it queued: 5 to 25 s typed in the page, 90 to 130 s key by key
  // from the test on a busy machine. The upload takes seconds.
  test.setTimeout(240_000);
  const terminal = await terminalId(page);
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');

  // The officer types plate after plate; the state stays as typed. Each query queued writes query.enqueued.
  await queuePlates(page, Array.from({ length: QUERIES }, (_, index) => plate(index + 1)));
  await expect(statusBar(page)).toContainText(queued(QUERIES));

  // Still offline, the officer signs out and discards the queue: a query.discarded line for each, and the sign-out.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Discard them…' }).click();
  await expect(page.getByRole('dialog')).toContainText(`Discard all ${QUERIES} queued queries? They will never be sent.`);
  await page.getByRole('button', { name: 'Yes, discard and sign out' }).click();
  const consent = page.getByRole('button', { name: 'I understand and consent' });
  await expect(consent).toBeVisible();

  // Out of the dead zone: the officer signs in again, and the backlog goes up behind the sign-in.
  await context.setOffline(false);
  await consent.click();
  await fillSignIn(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect
    .poll(() => keptActions(drillSwitch, terminal), { timeout: 30_000 })
    .toMatchObject({ 'query.enqueued': QUERIES, 'query.discarded': QUERIES, 'session.signout': 1, 'session.signin': 2 });

  const trail = await keptTrail(drillSwitch.process, terminal);
  expect(trail.records.length).toBeGreaterThanOrEqual(2 * QUERIES + 3);
  expect(trail.records.map((record) => record.seq)).toEqual(trail.records.map((_, index) => index + 1));
  expect(verifyChain(trail.records)).toMatchObject({ ok: true });
  expect(trail.restarts).toEqual([]);
  // In the order they were made: every query queued, then each discarded, then the sign-out, then the sign-in.
  const actions = trail.records.map((record) => record.action);
  expect(actions.lastIndexOf('query.enqueued')).toBeLessThan(actions.indexOf('query.discarded'));
  expect(actions.lastIndexOf('query.discarded')).toBeLessThan(actions.indexOf('session.signout'));
  expect(actions.indexOf('session.signout')).toBeLessThan(actions.lastIndexOf('session.signin'));
  const subjects = (action: string) => trail.records.filter((record) => record.action === action).map((record) => record.subject).sort();
  expect(subjects('query.discarded')).toEqual(subjects('query.enqueued'));
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect(statusBar(page)).not.toContainText('Audit not delivered');
});

test('a switch that keeps refusing the audit trail shows on the status line until an upload is kept', async ({ terminal: page, context, drillSwitch }, testInfo) => {
  const terminal = await terminalId(page);
  // The switch answers every upload 413, as it did to the 500-record batches before issue 19.
  let refused = 0;
  await page.route(`**${authPaths.audit}`, (route) => {
    refused++;
    return route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'body_too_large', message: 'Request body is larger than 16384 bytes' } }) });
  });
  await lockAndUnlock(page);
  await expect(statusBar(page)).toContainText(NOT_DELIVERED);
  expect(refused).toBeGreaterThan(0);
  await statusBar(page).screenshot({ path: testInfo.outputPath('audit-not-delivered.png') });

  // The switch takes uploads again; a link that comes back is tried at once, and the line goes.
  await page.unroute(`**${authPaths.audit}`);
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await context.setOffline(false);
  await expect(statusBar(page)).not.toContainText('Audit not delivered', { timeout: 20_000 });
  await expect.poll(() => keptActions(drillSwitch, terminal)).toMatchObject({ 'session.lock': 1, 'session.unlock': 1 });
  const trail = await keptTrail(drillSwitch.process, terminal);
  expect(verifyChain(trail.records)).toMatchObject({ ok: true });
});

test('uploads lost on the way while the link stays up are sent again within seconds, not after the half minute a failing switch waits', async ({ terminal: page, drillSwitch }) => {
  const terminal = await terminalId(page);
  // The first three uploads are reset on the way, as a flapping link resets them; everything else goes through,
  // so the link never looks down and nothing but the upload's own wait brings the trail back.
  let lost = 0;
  await page.route(`**${authPaths.audit}`, (route) => {
    if (lost === 3) return route.fallback();
    lost++;
    return route.abort('connectionreset');
  });
  await lockAndUnlock(page);
  await expect.poll(() => lost).toBe(3);
  await expect(statusBar(page)).toContainText('Link: Online');
  // One, two and four seconds apart: a failing switch would be left alone for 30 s, 60 s and two minutes.
  await expect.poll(() => keptActions(drillSwitch, terminal), { timeout: 20_000 }).toMatchObject({ 'session.lock': 1, 'session.unlock': 1 });
  await expect(statusBar(page)).not.toContainText('Audit not delivered');
});
