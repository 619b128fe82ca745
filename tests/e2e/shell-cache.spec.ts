// The browser build's service worker keeps the app shell and nothing else: after queries, answers and the
// hotlist, the caches hold only the files the build listed in sw.js.
import { enter, expect, runPlate, test } from './fixtures.ts';

test('after queries the caches hold the app shell only, never a switch response or an API path', async ({ terminal: page, drillSwitch, terminalUrl }) => {
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  // Under the worker's control from the start, so every request of this visit passes by it.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await enter(page);
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE', { timeout: 20_000 });
  await expect(page.getByText(/^Hotlist \d\d:\d\d/)).toBeVisible();
  // A file of the terminal's own origin that is not part of the shell is left to the network.
  expect(await page.evaluate(async () => (await fetch('./index.html')).status)).toBe(200);

  const shell = await page.evaluate(async () => {
    const source = await (await fetch('./sw.js')).text();
    return (JSON.parse(/const SHELL = (\[.*\]);/.exec(source)![1]!) as string[]).map((path) => new URL(path, location.href).href);
  });
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    return urls;
  });
  expect(cached.length).toBeGreaterThan(2);
  expect(cached.filter((url) => !shell.includes(url))).toEqual([]);
  expect(cached.filter((url) => url.startsWith(drillSwitch.url) || url.includes('/v1/'))).toEqual([]);
  expect(cached.every((url) => url.startsWith(terminalUrl))).toBe(true);
});
