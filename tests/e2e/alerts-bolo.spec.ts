// BOLO broadcasts: one issued at the switch pops at once as a broadcast alert and is kept in the list, newest first.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SwitchProcess } from '../../scripts/switch-process.ts';
import { serveTerminal } from '../../scripts/web-server.ts';
import { expect, statusBar, test as base, enter } from './fixtures.ts';

const RENDERER = process.env.OUTRIDER_RENDERER_DIR ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));

/**
 * A switch of this file's own: the switch holds every BOLO and sends it to each terminal that connects later, so
 * BOLOs issued on the worker's shared switch would pop up in every test that runs after this one.
 */
const test = base.extend<{ boloSwitch: SwitchProcess; boloTerminal: string }>({
  boloSwitch: async ({}, use) => {
    const own = new SwitchProcess(0);
    await own.start();
    await use(own);
    await own.stop();
  },
  boloTerminal: async ({ boloSwitch }, use) => {
    const { server, url } = await serveTerminal({ root: RENDERER, port: 0, config: { switchUrl: boloSwitch.url, mode: 'drill', appVersion: 'test', shell: 'web' } });
    await use(url);
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
  },
});

test('a BOLO from the switch pops a broadcast alert and is listed newest first', async ({ page, boloSwitch: drillSwitch, boloTerminal }) => {
  await page.goto(boloTerminal);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
  const tag = String(Date.now()).slice(-5);
  await drillSwitch.issueBolo({ title: `STOLEN AMBULANCE ${tag}`, text: 'Taken from County General at 14:00, heading north on I-5.', lic: '7AMB123', lis: 'CA', cautions: ['armed_and_dangerous'] });
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByRole('heading')).toHaveText(`BOLO: STOLEN AMBULANCE ${tag}`);
  await expect(dialog).toContainText('BROADCAST');
  await expect(dialog).toContainText('Plate 7AMB123 (CA)');
  await expect(dialog).toContainText('ARMED AND DANGEROUS');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `/tmp/hotlist-shots/bolo-${colorScheme}.png` });
  }
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();

  await drillSwitch.issueBolo({ title: `MISSING HIKER ${tag}`, text: 'Last seen at the Eagle Creek trailhead, red jacket.' });
  await expect(dialog.getByRole('heading')).toHaveText(`BOLO: MISSING HIKER ${tag}`);
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();

  const list = page.getByRole('list', { name: 'BOLOs received' });
  const mine = list.getByRole('listitem').filter({ hasText: tag });
  await expect(mine).toHaveCount(2);
  await expect(mine.nth(0)).toContainText(`MISSING HIKER ${tag}`);
  await expect(mine.nth(1)).toContainText(`STOLEN AMBULANCE ${tag}`);
  await expect(mine.nth(1)).toContainText('Plate 7AMB123 (CA)');
  await expect(mine.nth(1)).toContainText('CAUTION: ARMED AND DANGEROUS');
  await expect(mine.nth(1).locator('time')).toHaveText(/^\d\d:\d\d$/);
});
