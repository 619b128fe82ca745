// What an alert sounds like: a tone per severity, officer safety until acknowledged, a mute only for drills.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serveTerminal } from '../../scripts/web-server.ts';
import { DRILL_MUTE_KEY, roundLengthMs, TONE_PATTERNS } from '../../src-renderer/alerts/sound.ts';
import { listenForTones, openOnClock, tones } from './alerts-support.ts';
import { expect, runPerson, runPlate, statusBar, test, enter } from './fixtures.ts';

const HIT_TONES = TONE_PATTERNS.hit.tones.map((tone) => tone.frequency);
const SIREN = TONE_PATTERNS.officer_safety.tones.map((tone) => tone.frequency);
const SIREN_ROUND_MS = roundLengthMs(TONE_PATTERNS.officer_safety) + TONE_PATTERNS.officer_safety.repeatAfterMs!;

test('an officer-safety alert sounds round after round until acknowledged, then falls silent', async ({ page, terminalUrl }) => {
  await listenForTones(page);
  await openOnClock(page, terminalUrl);
  await runPerson(page, 'TRAINING, ARMED', '1980-01-01', 'M');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('CAUTION: ARMED AND DANGEROUS');
  await expect.poll(() => tones(page)).toEqual(expect.arrayContaining(SIREN));
  expect(await page.evaluate(() => window.__audioStates?.())).toContain('running');

  const firstRounds = (await tones(page)).length;
  await page.clock.runFor(3 * SIREN_ROUND_MS);
  expect((await tones(page)).length).toBeGreaterThanOrEqual(firstRounds + 3 * SIREN.length);

  await page.keyboard.press('Enter');
  await expect(alert).toBeHidden();
  const atAcknowledge = (await tones(page)).length;
  await page.clock.runFor(10 * SIREN_ROUND_MS);
  expect((await tones(page)).length).toBe(atAcknowledge);
});

test('a hit plays its own rising tone once, different from the officer-safety siren', async ({ page, terminalUrl }) => {
  await listenForTones(page);
  await openOnClock(page, terminalUrl);
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
  await expect.poll(() => tones(page)).toEqual(HIT_TONES);
  expect(HIT_TONES).not.toEqual(SIREN.slice(0, HIT_TONES.length));

  // Left unacknowledged a long while, a plain hit stays on screen but does not sound again.
  await page.clock.runFor(60_000);
  expect(await tones(page)).toEqual(HIT_TONES);
});

test('in a drill the instructor can mute alert sound; it says so, and the mute outlasts a reload', async ({ page, terminalUrl }) => {
  await listenForTones(page);
  await page.goto(terminalUrl);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  const mute = page.getByRole('button', { name: 'Mute alert sound for drill' });
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByText('Alert sound on')).toBeVisible();

  await mute.click();
  await expect(page.getByText('Alert sound MUTED (drill)')).toBeVisible();
  await page.reload();
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');

  await runPlate(page, '4TRN123', 'CA');
  const alert = page.getByRole('alertdialog');
  await expect(alert).toContainText('STOLEN VEHICLE');
  await expect(alert.getByRole('status')).toHaveText('Sound muted for this drill');
  // The tone would start in the same update that opens the dialog: by now it would have.
  expect(await tones(page)).toEqual([]);

  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await mute.click();
  await expect(page.getByText('Alert sound on')).toBeVisible();
  await runPlate(page, '4TRN456', 'CA');
  await expect(alert).toContainText('STOLEN PLATE');
  await expect.poll(() => tones(page)).toEqual(HIT_TONES);
});

test('outside a drill there is no mute, and one left behind in storage does not silence a hit', async ({ page, drillSwitch }) => {
  const { server, url } = await serveTerminal({
    root: process.env.OUTRIDER_RENDERER_DIR ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url)),
    port: 0,
    config: { switchUrl: drillSwitch.url, mode: 'agency', appVersion: 'test', shell: 'web' },
  });
  try {
    await page.addInitScript((key) => localStorage.setItem(key, 'muted'), DRILL_MUTE_KEY);
    await listenForTones(page);
    await page.goto(url);
    await enter(page);
    await expect(statusBar(page)).toContainText('Link: Online');
    await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Mute alert sound for drill' })).toHaveCount(0);
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), DRILL_MUTE_KEY)).toBeNull();

    await runPlate(page, '4TRN123', 'CA');
    await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
    await expect(page.getByRole('alertdialog')).not.toContainText('muted');
    await expect.poll(() => tones(page)).toEqual(HIT_TONES);
  } finally {
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
  }
});
