// The sync engine as an officer meets it: urgent first, one window sends, every fault recovers without duplicates.
import type { LinkConditions } from '../../src-shared/conditions.ts';
import { expect, queued, resultFor, runPlate, statusBar, test, enter } from './fixtures.ts';
import { queuePlates } from './ui-support.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; these tests are about the live answer.
test.use({ hotlist: false });

test('an emergency query entered behind 100 routine ones is among the first sent', async ({ terminal: page, context, drillSwitch }) => {
  // The test is about order, not speed (npm run bench times the drain): the routine 100 go in through the page's
  // own typing (3 to 10 s; 45 s key by key from the test on a busy machine), the emergency one as an officer types it.
  test.setTimeout(120_000);
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await queuePlates(page, Array.from({ length: 100 }, (_, i) => `PRI${i}`));
  await expect(statusBar(page)).toContainText(queued(100));
  await page.getByLabel('Priority').selectOption('Emergency');
  await runPlate(page, 'URGENT1', 'CA');
  await expect(statusBar(page)).toContainText(queued(101));
  await expect(page.getByText('0 of 101 sent')).toBeVisible();

  const before = (await drillSwitch.stats()).executed;
  await context.setOffline(false);
  await expect(statusBar(page)).toContainText(queued(0), { timeout: 60_000 });
  const executedNow = (await drillSwitch.stats()).recent.slice(-101);
  expect((await drillSwitch.stats()).executed - before).toBe(101);
  const emergencyAt = executedNow.findIndex((execution) => execution.priority === 'emergency');
  // Four go out at once (the in-flight bound), so the emergency query is in the first four the switch runs.
  expect(emergencyAt).toBeGreaterThanOrEqual(0);
  expect(emergencyAt).toBeLessThan(4);
});

test('of three open windows exactly one sends; when it closes another takes over', async ({ context, terminalUrl, drillSwitch }) => {
  const pages = await Promise.all([0, 1, 2].map(() => context.newPage()));
  for (const page of pages) {
    await page.goto(terminalUrl);
    await enter(page);
    await expect(statusBar(page)).toContainText('Link: Online');
  }
  const open = () => pages.filter((page) => !page.isClosed());
  const followerTexts = async () =>
    Promise.all(open().map(async (page) => (await statusBar(page).textContent())!.includes('Another Outrider window sends the queue')));
  await expect.poll(async () => (await followerTexts()).filter(Boolean).length).toBe(2);

  const leader = open()[(await followerTexts()).indexOf(false)]!;
  await leader.close();
  await expect.poll(async () => (await followerTexts()).filter(Boolean).length, { timeout: 10_000 }).toBe(1);

  // A query typed in the window that still follows is sent by the new leader, once.
  const follower = open()[(await followerTexts()).indexOf(true)]!;
  const before = (await drillSwitch.stats()).executed;
  await runPlate(follower, '4TRN000', 'CA');
  await expect(resultFor(follower, 'Plate 4TRN000 (CA)')).toContainText('Record on file, no want');
  expect((await drillSwitch.stats()).executed - before).toBe(1);
});

/** Faults that stop the query reaching the switch: the reason shows, and the answer waits for the link. */
const refusals: Array<{ fault: string; conditions: Partial<LinkConditions>; shows: RegExp }> = [
  { fault: 'a 503 from the switch', conditions: { serverErrorPercent: 100 }, shows: /The switch is busy \(503\)/ },
  { fault: 'a 429 with Retry-After', conditions: { retryAfterSeconds: 2 }, shows: /The switch is busy \(429\)/ },
  { fault: 'a black hole', conditions: { blackHole: true }, shows: /No answer from the switch within 10 s|The switch cannot be reached/ },
];

/** Faults that spoil only the switch's reply to the submission: the query ran, and its parts still come on the event stream. */
const spoiledReplies: Array<{ fault: string; conditions: Partial<LinkConditions> }> = [
  { fault: 'a truncated reply', conditions: { truncatePercent: 100 } },
  { fault: 'a reply that is not JSON', conditions: { malformedPercent: 100 } },
  { fault: 'a lost acknowledgement', conditions: { lostAckPercent: 100 } },
];

async function expectOneExecution(drillSwitch: { stats(): Promise<{ byKey: Record<string, number> }> }, before: { byKey: Record<string, number> }) {
  const after = await drillSwitch.stats();
  const newKeys = Object.keys(after.byKey).filter((key) => !(key in before.byKey));
  expect(newKeys).toHaveLength(1);
  expect(after.byKey[newKeys[0]!]).toBe(1);
}

for (const { fault, conditions, shows } of refusals) {
  test(`recovers from ${fault}: the reason is shown, then one execution and one alert`, async ({ terminal: page, drillSwitch }) => {
    await drillSwitch.process.setConditions(conditions);
    const before = await drillSwitch.stats();
    await runPlate(page, '4TRN123', 'CA');
    const row = resultFor(page, 'Plate 4TRN123 (CA)');
    await expect(row).toContainText(shows, { timeout: 30_000 });
    await expect(page.getByRole('alertdialog')).toBeHidden();

    await drillSwitch.process.setConditions({});
    const alert = page.getByRole('alertdialog');
    await expect(alert).toContainText('STOLEN VEHICLE', { timeout: 40_000 });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(row).toContainText('HIT: STOLEN VEHICLE');
    await expect(alert).toBeHidden();
    await expectOneExecution(drillSwitch, before);
  });
}

for (const { fault, conditions } of spoiledReplies) {
  test(`gets the answer through ${fault} by the event stream: one execution, one alert, while the fault lasts`, async ({ terminal: page, drillSwitch }) => {
    await drillSwitch.process.setConditions(conditions);
    const before = await drillSwitch.stats();
    await runPlate(page, '4TRN123', 'CA');
    const alert = page.getByRole('alertdialog');
    // The fault is still on: the reply to every resend is spoiled, yet the answer is here.
    await expect(alert).toContainText('STOLEN VEHICLE', { timeout: 30_000 });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    const row = resultFor(page, 'Plate 4TRN123 (CA)');
    await expect(row).toContainText('HIT: STOLEN VEHICLE');
    await expect(row).toContainText('Answered');
    await expect(alert).toBeHidden();
    await expectOneExecution(drillSwitch, before);
    await drillSwitch.process.setConditions({});
  });
}
