// Issue 6, sign-in and sessions, as an officer meets them: the use notice, password and one-time code,
// lockout and its release, offline unlock, the lock (timer and key), the 12-hour re-authentication,
// sign-out, and queries left queued that belong to their officer alone.
import type { Page } from '@playwright/test';
import { authPaths } from '../../src-shared/auth.ts';
import { type AuditRecord, verifyChain } from '../../src-shared/audit-chain.ts';
import { DRILL_OFFICERS } from '../../src-switch/auth/drill-officers.ts';
import { rawJournal } from '../support/queue-journal.ts';
import { rawDatabaseText } from '../support/raw-indexeddb.ts';
import { restedOfficer } from '../support/sign-in.ts';
import { terminalIdOf as terminalId } from '../support/terminal-records.ts';
import { enter, expect, fillSignIn, oneTimeCode, queued, resultFor, runPlate, shiftHolder, statusBar, test } from './fixtures.ts';
import { checkScreen, followSystem, SHOTS_DIR, THEMES } from './ui-support.ts';

const CHEN = DRILL_OFFICERS[1]!;
const OKAFOR = DRILL_OFFICERS[2]!;
const SALAS = DRILL_OFFICERS[4]!;

test.use({ hotlist: false });

/** The officer who holds the shift the test opened. */
const holder = (page: Page) => shiftHolder(page)!;

const consent = (page: Page) => page.getByRole('button', { name: 'I understand and consent' });
const lockScreen = (page: Page) => page.getByRole('heading', { name: 'Outrider is locked' });

/** Row counts of every store, read from IndexedDB directly. */
function rawCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const request = indexedDB.open('outrider');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction([...idb.objectStoreNames], 'readonly');
          const counts: Record<string, number> = {};
          for (const name of idb.objectStoreNames) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => (counts[name] = count.result);
          }
          tx.oncomplete = () => {
            idb.close();
            resolve(counts);
          };
        };
      }),
  );
}

function rawOutboxIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const request = indexedDB.open('outrider');
        request.onsuccess = () => {
          const keys = request.result.transaction('outbox').objectStore('outbox').getAllKeys();
          keys.onsuccess = () => {
            request.result.close();
            resolve(keys.result as string[]);
          };
        };
      }),
  );
}

/**
 * Opens a read-write transaction on `store` in the page and keeps it busy until the returned function is called:
 * every write the terminal makes to that store waits behind it.
 */
async function holdWrites(page: Page, store: string): Promise<() => Promise<void>> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('outrider');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction(name, 'readwrite');
          const held = transaction.objectStore(name);
          (window as { __holdWrites?: boolean }).__holdWrites = true;
          // A request always pending keeps the transaction open; no timer, so the page's clock is untouched.
          const keepBusy = () => {
            if ((window as { __holdWrites?: boolean }).__holdWrites) held.count().onsuccess = keepBusy;
          };
          keepBusy();
          transaction.oncomplete = () => open.result.close();
          resolve();
        };
      }),
    store,
  );
  return () => page.evaluate(() => void ((window as { __holdWrites?: boolean }).__holdWrites = false));
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
}

test('the use notice comes before anything else, and Enter acknowledges it', async ({ page, terminalUrl }) => {
  await page.goto(terminalUrl);
  await expect(page.getByRole('heading', { name: 'Restricted system: authorized use only' })).toBeVisible();
  await expect(page.getByText('monitored and recorded')).toBeVisible();
  await expect(page.getByText('punishable')).toBeVisible();
  await expect(page.getByText('consent', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Officer ID')).toHaveCount(0);
  await expect(statusBar(page)).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Officer ID')).toBeFocused();
});

test('sign-in needs the one-time code as well as the password, and then names the officer and unit', async ({ page, terminalUrl }) => {
  await page.goto(terminalUrl);
  await consent(page).click();
  await page.getByLabel('Officer ID').fill(CHEN.id.toLowerCase());
  await page.getByLabel('Password').fill(CHEN.password);
  // A code from five minutes ago, as if read off the wrong account in the authenticator.
  await page.getByLabel('One-time code').fill(oneTimeCode(CHEN, Date.now() - 5 * 60_000));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('more failures lock the account');
  await expect(statusBar(page)).toHaveCount(0);

  await page.getByLabel('Officer ID').fill(CHEN.id);
  await fillSignIn(page, CHEN);
  await expect(statusBar(page)).toContainText(`${CHEN.name} (${CHEN.id})`);
  await expect(statusBar(page)).toContainText(`Unit ${CHEN.unit}`);
  await expect(statusBar(page)).toContainText('Link: Online');
});

test('five failed sign-ins lock the account until an administrator releases it', async ({ page, terminalUrl, drillSwitch }) => {
  const release = () => drillSwitch.process.adminFetch(authPaths.adminRelease(SALAS.id), { method: 'POST', body: '{}' });
  // The worker's switch is shared: a lock left by an earlier attempt of this test must not count.
  await release();
  await page.goto(terminalUrl);
  await consent(page).click();
  await page.getByLabel('Officer ID').fill(SALAS.id);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('One-time code').fill(oneTimeCode(SALAS));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Each refusal is answered before the next try: the count it names is the switch's.
    const left = 5 - attempt;
    await expect(page.getByRole('alert')).toContainText(left === 0 ? 'is locked' : left === 1 ? '1 more failure locks' : `${left} more failures lock`);
  }
  // The right password and code no longer help: the terminal says why and what to do.
  const refused = page.waitForResponse((response) => response.url().endsWith(authPaths.signIn));
  await fillSignIn(page, SALAS);
  expect((await refused).status()).toBe(423);
  await expect(page.getByRole('alert')).toContainText(`Account ${SALAS.id} is locked`);
  await expect(page.getByRole('alert')).toContainText('administrator');

  expect((await release()).status).toBe(200);
  await fillSignIn(page, SALAS);
  await expect(statusBar(page)).toContainText(`${SALAS.name} (${SALAS.id})`);
});

test('after an online sign-in the officer unlocks offline with the password, queues, and the session is renewed when the link returns', async ({ terminal: page, context }) => {
  await context.setOffline(true);
  await page.reload();
  await consent(page).click();
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByLabel('One-time code')).toHaveCount(0);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong password');
  await page.getByLabel('Password').fill(holder(page).password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN000', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));

  const renewed = page.waitForResponse((response) => response.url().endsWith(authPaths.renew));
  await context.setOffline(false);
  expect((await renewed).status()).toBe(200);
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN', { timeout: 20_000 });
  await expect(statusBar(page)).toContainText(queued(0));
});

test('the terminal locks after 30 minutes without a key or touch, hides every answer, and unlocks with the password', async ({ page, terminalUrl }) => {
  await page.clock.install({ time: new Date() });
  await page.goto(terminalUrl);
  await enter(page);
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN', { timeout: 20_000 });
  // A hit left unacknowledged: the lock screen counts it and names nothing of it.
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');

  await page.clock.fastForward('29:00');
  await expect(lockScreen(page)).toHaveCount(0);
  await page.clock.fastForward('01:05');
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByText('Locked after inactivity.')).toBeVisible();
  await expect(page.getByText('1 alert is waiting: unlock to read it.')).toBeVisible();
  const text = await page.locator('body').innerText();
  for (const cji of ['4TRN000', '4TRN123', 'TRAINING, CLEAN', 'STOLEN']) expect(text).not.toContain(cji);

  await page.getByLabel('Password').fill(holder(page).password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
});

test('five wrong passwords at the lock screen turn it into a full sign-in with the one-time code', async ({ terminal: page }) => {
  await page.keyboard.press('F12');
  await expect(lockScreen(page)).toBeVisible();
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel('Password').fill(`wrong ${attempt}`);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText(attempt < 5 ? `${5 - attempt} more before` : '5 wrong passwords');
  }
  await expect(page.getByLabel('One-time code')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(0);
  await fillSignIn(page);
  await expect(statusBar(page)).toContainText(`${holder(page).name} (${holder(page).id})`);
});

test('F12 locks the terminal at once, in every window', async ({ terminal: page, context, terminalUrl }) => {
  const other = await context.newPage();
  await other.goto(terminalUrl);
  await enter(other);
  await page.keyboard.press('F12');
  await expect(lockScreen(page)).toBeVisible();
  await expect(lockScreen(other)).toBeVisible();
  await expect(other.getByText('Locked from another Outrider window.')).toBeVisible();
});

test('after 12 hours the lock screen wants the password and a one-time code again', async ({ page, terminalUrl }) => {
  await page.clock.install({ time: new Date() });
  await page.goto(terminalUrl);
  await enter(page);
  // Busy all shift: activity keeps the inactivity lock away, not the 12-hour limit.
  for (let hour = 0; hour < 12; hour++) {
    await page.clock.fastForward('20:00');
    await page.mouse.click(5, 5);
    await page.clock.fastForward('20:00');
    await page.mouse.click(5, 5);
    await page.clock.fastForward('20:00');
    await page.mouse.click(5, 5);
  }
  await page.clock.fastForward('01:00');
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByText('Your 12-hour sign-in has run out')).toBeVisible();
  await expect(page.getByLabel('One-time code')).toBeVisible();
  await fillSignIn(page);
  await expect(statusBar(page)).toContainText(`${holder(page).name} (${holder(page).id})`);
});

test("sign-out erases the shift's answers, alerts and authenticators from the terminal", async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  // The officer types once the dialog has gone: while it is open the page behind it is inert, and keys land nowhere.
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN', { timeout: 20_000 });
  expect((await rawCounts(page)).answers).toBe(2);
  expect((await rawJournal(page)).files).toHaveLength(2);

  await signOut(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
  await expect(consent(page)).toBeVisible();
  const counts = await rawCounts(page);
  expect(counts).toMatchObject({ outbox: 0, answers: 0, alerts: 0, bolos: 0, confirmations: 0, hotlist: 0, officers: 0, held: 0 });
  expect(counts.audit).toBeGreaterThan(0);
  // The queue journal's copies go with the shift.
  expect((await rawJournal(page)).files).toEqual([]);
  // No verifier is left: the next officer must sign in online, not unlock.
  await consent(page).click();
  await expect(page.getByLabel('Officer ID')).toBeVisible();
});

test('queries left queued at sign-out are sealed for their officer, never sent under another, and sent once when that officer returns', async ({ terminal: page, context, drillSwitch }) => {
  const owner = holder(page);
  const another = owner.id === OKAFOR.id ? CHEN : OKAFOR;
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN000', 'CA');
  await expect(statusBar(page)).toContainText(queued(1));
  const [id] = await rawOutboxIds(page);
  expect((await rawJournal(page)).files).toEqual([`q-${id}.json`]);

  await signOut(page);
  await expect(page.getByRole('dialog')).toContainText('1 query is still queued');
  await page.getByRole('button', { name: 'Keep it for me and sign out' }).click();
  await expect(consent(page)).toBeVisible();
  expect(await rawCounts(page)).toMatchObject({ outbox: 0, held: 1 });
  expect(await page.evaluate(rawDatabaseText, 'outrider')).not.toContain('4TRN000');
  // Held, the query is the officer's alone: the queue journal, which the terminal's key opens, keeps no copy.
  expect((await rawJournal(page)).files).toEqual([]);

  await context.setOffline(false);
  await consent(page).click();
  await fillSignIn(page, another);
  await expect(statusBar(page)).toContainText('Link: Online');
  await expect(statusBar(page)).toContainText(queued(0));
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toHaveCount(0);
  expect((await drillSwitch.stats()).byKey[id!]).toBeUndefined();

  await signOut(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
  await consent(page).click();
  await fillSignIn(page, owner);
  await expect(page.getByText('1 held query is back in the queue.')).toBeVisible();
  // Back in the queue, it is journaled again.
  expect((await rawJournal(page)).files).toEqual([`q-${id}.json`]);
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN', { timeout: 20_000 });
  expect((await drillSwitch.stats()).byKey[id!]).toBe(1);
});

test('discarding queued queries at sign-out takes a second confirmation, and each discard is in the audit the switch keeps', async ({ terminal: page, context, drillSwitch }) => {
  await context.setOffline(true);
  await expect(statusBar(page)).toContainText('Link: Offline');
  await runPlate(page, '4TRN000', 'CA');
  await runPlate(page, '4TRN123', 'CA');
  await expect(statusBar(page)).toContainText(queued(2));
  const ids = await rawOutboxIds(page);
  const terminal = await terminalId(page);

  await signOut(page);
  await page.getByRole('button', { name: 'Discard them…' }).click();
  await expect(page.getByRole('dialog')).toContainText('Discard all 2 queued queries? They will never be sent.');
  await page.getByRole('button', { name: 'Yes, discard and sign out' }).click();
  await expect(consent(page)).toBeVisible();

  await context.setOffline(false);
  await consent(page).click();
  await fillSignIn(page);
  await expect(statusBar(page)).toContainText(queued(0));
  const audit = async () => {
    const response = await drillSwitch.process.adminFetch(`${authPaths.adminAudit}?terminal=${terminal}`);
    return ((await response.json()) as { records: AuditRecord[] }).records;
  };
  await expect.poll(async () => (await audit()).filter((record) => record.action === 'query.discarded').length, { timeout: 20_000 }).toBe(2);
  const records = await audit();
  expect(records.filter((record) => record.action === 'query.discarded').map((record) => record.subject).sort()).toEqual([...ids].sort());
  for (const id of ids) expect((await drillSwitch.stats()).byKey[id]).toBeUndefined();
});

test('the audit trail reaches the switch whole and hash-chained: who, what, when to the hundredth, where', async ({ terminal: page, drillSwitch }) => {
  await runPlate(page, '4TRN000', 'CA');
  await expect(resultFor(page, 'Plate 4TRN000 (CA)')).toContainText('TRAINING, CLEAN', { timeout: 20_000 });
  await page.keyboard.press('F12');
  await page.getByLabel('Password').fill(holder(page).password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  const terminal = await terminalId(page);
  const audit = async () => {
    const response = await drillSwitch.process.adminFetch(`${authPaths.adminAudit}?terminal=${terminal}`);
    return ((await response.json()) as { records: AuditRecord[] }).records;
  };
  await expect
    .poll(async () => (await audit()).map((record) => record.action), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['session.signin', 'query.enqueued', 'query.answered', 'session.lock', 'session.unlock']));
  const records = await audit();
  expect(verifyChain(records)).toMatchObject({ ok: true });
  const signIn = records.find((record) => record.action === 'session.signin')!;
  expect(signIn).toMatchObject({ officer: holder(page).id, terminal });
  expect(signIn.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ$/);
});

for (const theme of THEMES) {
  test(`the notice, sign-in and lock screens pass axe in the ${theme} theme (screenshots in ${SHOTS_DIR})`, async ({ page, terminalUrl }) => {
    await page.goto(terminalUrl);
    await followSystem(page, theme);
    await expect(consent(page)).toBeVisible();
    await checkScreen(page, theme, 'use-notice');
    await consent(page).click();
    // Refused as Chen, with the code of the moment (a refused sign-in spends none): the worker's switch stops every
    // sign-in from an address that failed against three officer IDs in 15 minutes, and Chen and Salas (locked on
    // purpose above) are the only IDs these tests fail against. Then signed in as the officer rested longest, whose
    // one-time codes are unspent: one officer signed in by both themes' runs would wait for the next 30 s step.
    await page.getByLabel('Officer ID').fill(CHEN.id);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('One-time code').fill(oneTimeCode(CHEN));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await checkScreen(page, theme, 'sign-in-refused');
    const officer = restedOfficer();
    await fillSignIn(page, officer);
    await expect(statusBar(page)).toContainText(officer.id);
    await checkScreen(page, theme, 'terminal-signed-in');
    await page.keyboard.press('F12');
    await expect(lockScreen(page)).toBeVisible();
    await checkScreen(page, theme, 'lock');
  });

  test(`the screens around the notice (starting, signing out, cannot start) pass axe in the ${theme} theme`, async ({ page, terminalUrl, browser }) => {
    // The terminal waits for its configuration: held here, so the start screen stays up to be checked.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/config.json', async (route) => (await held, route.continue()));
    await page.goto(terminalUrl);
    await followSystem(page, theme);
    await expect(page.getByRole('status').getByText('Starting Outrider…')).toBeVisible();
    await checkScreen(page, theme, 'starting');
    release();

    await enter(page);
    await signOut(page);
    const confirm = page.getByRole('dialog').getByRole('button', { name: 'Sign out' });
    await expect(confirm).toBeVisible();
    // Closing the shift writes to the store of held queries: a write held open there keeps "Signing out…" up.
    const letGo = await holdWrites(page, 'held');
    await confirm.click();
    await expect(page.getByRole('status').getByText('Signing out…')).toBeVisible();
    await checkScreen(page, theme, 'signing-out');
    await expect(page.getByRole('status').getByText('Signing out…')).toBeVisible();
    await letGo();
    await expect(consent(page)).toBeVisible();
    await checkScreen(page, theme, 'use-notice-after-sign-out');

    // A terminal whose configuration cannot be read says so on a screen of its own. A new profile: no
    // service worker answers for the host from its cache.
    const fresh = await browser.newContext();
    const broken = await fresh.newPage();
    await broken.route('**/config.json', (route) => route.fulfill({ status: 500, body: 'broken' }));
    await broken.goto(terminalUrl);
    await followSystem(broken, theme);
    await expect(broken.getByRole('heading', { name: 'Outrider cannot start' })).toBeVisible();
    await checkScreen(broken, theme, 'cannot-start');
    await fresh.close();
  });
}
