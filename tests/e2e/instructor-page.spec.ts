// The instructor page as an instructor meets it: it asks for the admin token once per tab, then shows the
// training officers with their current codes, releases a locked account, and flags an audit trail restarted.
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../src-shared/auth.ts';
import { paths } from '../../src-shared/protocol.ts';
import { SwitchProcess } from '../../scripts/switch-process.ts';
import { DRILL_OFFICERS } from '../../src-switch/auth/drill-officers.ts';
import { restedOfficer } from '../support/sign-in.ts';
import { signInAt } from '../support/switch-session.ts';
import { expect, test } from './fixtures.ts';

const SHOTS = '/tmp/shots';
let instructorSwitch: SwitchProcess;
test.beforeAll(async () => {
  // Its own switch: the lockout below must not count against the worker's shared one.
  instructorSwitch = new SwitchProcess(0, ['--latency-scale', '0', '--data-size', '200']);
  await instructorSwitch.start();
});
test.afterAll(() => instructorSwitch.stop());

/** `count` records of a terminal's chain from GENESIS, in nobody's name, as a reset terminal writes them. */
function chain(terminal: string, count: number, subject: string): AuditRecord[] {
  return lines(terminal, Array.from({ length: count }, (_, index) => ['app.start', `${subject}-${index + 1}`]));
}

/** A terminal's chain from GENESIS, in nobody's name: one record per [action, subject], written now. */
function lines(terminal: string, entries: Array<[string, string]>): AuditRecord[] {
  let prev = GENESIS;
  return entries.map(([action, subject], index) => {
    const content = { at: auditTime(new Date()), officer: '', terminal, action, subject, outcome: 'ok' };
    const record = { seq: index + 1, ...content, prev, hash: chainHash(prev, content) };
    prev = record.hash;
    return record;
  });
}

test('asks for the admin token, refuses a wrong one, and then shows each training officer with the code to sign in with', async ({ page }) => {
  await page.goto(`${instructorSwitch.adminUrl}/`);
  const tokenField = page.getByLabel('Admin token');
  await expect(tokenField).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Paste the admin token');
  await expect(page.getByRole('table').first().locator('tbody tr')).toHaveCount(0);

  await tokenField.fill('not-the-token');
  await page.getByRole('button', { name: 'Use this token' }).click();
  await expect(page.getByRole('alert')).toContainText('The switch refused this admin token');

  await tokenField.fill(instructorSwitch.adminToken);
  await page.getByRole('button', { name: 'Use this token' }).click();
  await expect(tokenField).toBeHidden();
  const rivera = page.getByRole('row', { name: /TRN101/ });
  await expect(rivera).toContainText(/Ofc\. J\. Rivera\s*\d{6} \(\d{1,2} s\)/);
  await page.screenshot({ path: `${SHOTS}/instructor-officers.png`, fullPage: true });

  // The tab keeps the token: a reload asks for nothing.
  await page.reload();
  await expect(rivera).toContainText(/\d{6}/);
  await expect(tokenField).toBeHidden();
});

test('takes the token from the link a drill switch prints, and wipes it from the address bar', async ({ page }) => {
  await page.goto(`${instructorSwitch.adminUrl}/#admin-token=${instructorSwitch.adminToken}`);
  await expect(page.getByRole('row', { name: /TRN102/ })).toContainText(/\d{6}/);
  expect(new URL(page.url()).hash).toBe('');
});

test('releases a locked account with its button, and flags an audit trail that started again', async ({ page }) => {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await fetch(`${instructorSwitch.url}${authPaths.signIn}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ officerId: 'TRN104', password: 'wrong', code: '000000', terminal: 'terminal-instructor-1' }),
    });
  }
  const terminal = 'terminal-reset-page-1';
  // Not TRN104, just locked: the officer rested longest of the others.
  const officer = restedOfficer(
    instructorSwitch.url,
    DRILL_OFFICERS.filter((trainee) => trainee.id !== 'TRN104'),
  );
  const session = bearer((await signInAt(instructorSwitch.url, terminal, officer)).token);
  const upload = (records: AuditRecord[]) =>
    fetch(`${instructorSwitch.url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...session }, body: JSON.stringify({ terminal, records }) });
  expect((await upload(chain(terminal, 3, 'before'))).status).toBe(200);
  expect((await upload(chain(terminal, 1, 'after-reset'))).status).toBe(200);

  await page.goto(`${instructorSwitch.adminUrl}/#admin-token=${instructorSwitch.adminToken}`);
  const flagged = page.getByRole('row', { name: /Audit trail restarted/ });
  await expect(flagged).toContainText(`Trail restarted on terminal ${terminal}`);
  await expect(flagged).toContainText('after record 3');

  const novak = page.getByRole('row', { name: /^TRN104 Ofc. L. Novak/ });
  await expect(novak).toContainText('Locked since');
  await page.screenshot({ path: `${SHOTS}/instructor-security.png`, fullPage: true });
  await novak.getByRole('button', { name: 'Release TRN104' }).click();
  await expect(page.getByText('TRN104 released at')).toBeVisible();
  await expect(novak).toContainText('Can sign in');
  await expect(page.getByRole('row', { name: /Account released/ })).toContainText('released TRN104');
});

test('draws the report after a drill with queries: the link it played, each query on it, the late one marked, and a download', async ({ page }) => {
  const terminal = 'terminal-drawing-page-1';
  const officer = restedOfficer(
    instructorSwitch.url,
    DRILL_OFFICERS.filter((trainee) => trainee.id !== 'TRN104'),
  );
  const session = bearer((await signInAt(instructorSwitch.url, terminal, officer)).token);
  const run = (key: string) =>
    fetch(`${instructorSwitch.url}${paths.queries}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...session },
      body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: new Date().toISOString() }),
    });

  await page.goto(`${instructorSwitch.adminUrl}/#admin-token=${instructorSwitch.adminToken}`);
  await page.getByLabel('Shipped drill').selectOption('dead-zone');
  await page.getByRole('button', { name: 'Start drill' }).click();
  await expect(page.locator('#drill-status')).toContainText('Playing "Dead zone"');

  const [onTime, late] = [crypto.randomUUID(), crypto.randomUUID()];
  expect((await run(onTime)).status).toBe(200);
  const upload = await fetch(`${instructorSwitch.url}${authPaths.audit}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...session },
    body: JSON.stringify({ terminal, records: lines(terminal, [['query.enqueued', onTime], ['query.answered', onTime], ['alert.raised', `alert-${onTime}`], ['alert.acknowledged', `alert-${onTime}`]]) }),
  });
  expect(upload.status).toBe(200);
  // NCIC slower than the drill's 10 s: the plate's answer reaches the terminal late.
  await instructorSwitch.setConditions({ latencyMs: 800, slowSource: { source: 'NCIC', extraMs: 10_500 } });
  expect((await run(late)).status).toBe(200);
  await page.getByRole('button', { name: 'Stop drill' }).click();
  await expect(page.locator('#drill-status')).toContainText('"Dead zone" was stopped');

  const drawing = page.getByRole('img', { name: /^Drill report: Dead zone/ });
  await expect(drawing).toBeVisible();
  await expect(drawing).toContainText(`1. ${onTime.slice(0, 8)}`);
  await expect(drawing).toContainText(`2. ${late.slice(0, 8)}`);
  await expect(drawing).toContainText(/LATE \+1\d\.\d s/);
  for (const band of ['Latency', 'Slow source', 'NCIC +10500 ms']) await expect(drawing).toContainText(band);
  await expect(drawing.locator('title', { hasText: /^Acknowledged \d:\d\d$/ })).toHaveCount(1);
  await expect(drawing.locator('title', { hasText: /^Entered: not known/ })).toHaveCount(1);

  const download = page.getByRole('link', { name: 'Download the drawing (SVG)' });
  await expect(download).toHaveAttribute('download', /^drill-report-.*\.svg$/);
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toMatch(/\.svg$/);
  await drawing.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/instructor-report.png`, fullPage: true });
  await drawing.screenshot({ path: `${SHOTS}/instructor-report-drawing.png` });
});
